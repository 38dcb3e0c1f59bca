package org.llenergymeasure.campaign.activities.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.llenergymeasure.campaign.activities.AttemptFolder;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.gpu.telemetry.GpuSample;
import org.llenergymeasure.campaign.activities.gpu.telemetry.GpuTelemetry;
import org.llenergymeasure.campaign.activities.gpu.telemetry.NoGpuTelemetry;
import org.llenergymeasure.campaign.activities.gpu.telemetry.ScriptedGpuTelemetry;
import org.llenergymeasure.campaign.activities.gpu.telemetry.ThrottleReasons;
import org.llenergymeasure.campaign.activities.measurement.SampleLog;
import org.llenergymeasure.campaign.activities.measurement.SampleRound;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.Measurement;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.CollectRequest;
import org.llenergymeasure.campaign.workflows.host.CollectResult;
import org.llenergymeasure.campaign.workflows.host.RunRef;

/**
 * The validity verdict through collect: each reason code provoked by scripted rounds of readings,
 * in {@code warn} mode (completed, the code in {@code reasons}, the metric returned) and in {@code
 * fail} mode ({@code InvalidMeasurement} whose message lists the code).
 */
class ValidityCollectTest {

  static final String GPU = "GPU-9";
  static final long T = 1_700_000_000_000L;
  @TempDir Path tmp;
  HostSettings settings;
  final RunRef run = new RunRef("camp", "exp.c2", "exp", 2, 1);
  AttemptFolder folder;
  ScriptedGpuTelemetry telemetry;

  @BeforeEach
  void setUp() throws Exception {
    settings = new HostSettings("h1", tmp, null, Map.of(), null);
    folder = AttemptFolder.create(settings, run);
    Files.createDirectories(folder.resolve("out/out"));
    telemetry = ScriptedGpuTelemetry.withStep(1000);
  }

  /** A scripted round: each GPU at {@code watts} with its counter at {@code joules}. */
  private static SampleRound round(
      long atMs, Long monoMs, double joules, double watts, long throttle) {
    return new SampleRound(
        T + atMs,
        SampleRound.DURING,
        List.of(
            new GpuSample(
                GPU, T + atMs, Math.round(joules * 1000), watts, 60, 1980, throttle, 700.0)),
        monoMs);
  }

  /** The plain run: idle 80 W at routing, then 300 W read at 0, 1 and 2 s. */
  private static List<SampleRound> plain() {
    return new ArrayList<>(
        List.of(
            round(0, null, 0, 300, 0),
            round(1000, null, 300, 300, 0),
            round(2000, null, 600, 300, 0)));
  }

  private static final String PLAIN_RESULT = "{\"total_energy_j\": 590, \"total_tokens\": 100}";

  private void record(List<SampleRound> rounds, String resultJson) throws Exception {
    SampleLog log = new SampleLog(folder);
    log.writeIdle(
        new SampleRound(
            T - 1000,
            SampleRound.IDLE,
            List.of(new GpuSample(GPU, T - 1000, 0L, 80.0, 40, 1980, 0L, 700.0))));
    rounds.forEach(log::append);
    Files.writeString(folder.resolve("out/out/result.json"), resultJson);
  }

  /** Each code's scenario: a run that fires that code alone. */
  private void provoke(String code) throws Exception {
    List<SampleRound> rounds = plain();
    String result = PLAIN_RESULT;
    switch (code) {
      case Measurement.NO_ENERGY ->
          rounds.replaceAll(r -> round(r.atMillis() - T, null, 5, 300, 0));
      case Measurement.BELOW_IDLE -> {
        rounds.replaceAll(r -> round(r.atMillis() - T, null, (r.atMillis() - T) / 25.0, 40, 0));
        result = "{\"total_energy_j\": 70, \"total_tokens\": 100}";
      }
      case Measurement.ABOVE_LIMIT -> {
        rounds.replaceAll(r -> round(r.atMillis() - T, null, (r.atMillis() - T) * 0.8, 800, 0));
        result = "{\"total_energy_j\": 1500, \"total_tokens\": 100}";
      }
      case Measurement.THERMAL_THROTTLE ->
          rounds.set(1, round(1000, null, 300, 300, ThrottleReasons.SW_THERMAL_SLOWDOWN));
      case Measurement.ENERGY_MISMATCH ->
          result = "{\"total_energy_j\": 800, \"total_tokens\": 100}";
      case Measurement.SAMPLE_GAP -> rounds.set(2, round(5000, null, 1500, 300, 0));
      case Measurement.TOO_SHORT -> {} // the policy's minDuration does it
      case Measurement.GPU_COUNT_MISMATCH ->
          rounds.set(1, new SampleRound(T + 1000, SampleRound.DURING, List.of(), null));
      case Measurement.CLOCK_STEP ->
          // The monotonic clock saw 3 s pass while the wall clock saw 1 s: it was set back.
          rounds.replaceAll(
              r ->
                  round(
                      r.atMillis() - T,
                      r.atMillis() - T < 2000 ? 0L : 4000L,
                      (r.atMillis() - T) * 0.3,
                      300,
                      0));
      case Measurement.UPSTREAM_WARNING ->
          result =
              "{\"total_energy_j\": 590, \"total_tokens\": 100,"
                  + " \"measurement_warnings\": [\"GPU persistence mode is off\"]}";
      default -> throw new IllegalArgumentException(code);
    }
    record(rounds, result);
  }

  private static Experiment withMeasurement(Measurement m) {
    Experiment e = ResultCollectorTest.EXP;
    return new Experiment(
        e.name(),
        e.image(),
        e.command(),
        e.gpus(),
        e.parallelism(),
        e.env(),
        e.secrets(),
        e.mounts(),
        e.resultsDir(),
        e.resultFile(),
        e.shmSize(),
        e.ipc(),
        e.timeout(),
        e.silenceTimeout(),
        e.retries(),
        e.memory(),
        e.network(),
        e.busy(),
        e.probe(),
        e.host(),
        e.labels(),
        e.remeasure(),
        m,
        e.allowDangerousMounts(),
        e.llenergymeasure(),
        e.logLimit(),
        e.user());
  }

  private static Measurement policy(String code, String mode) {
    return new Measurement(
        true,
        0.05,
        Measurement.WITHIN,
        false,
        Map.of(code, mode),
        Measurement.TOO_SHORT.equals(code) ? Duration.ofSeconds(30) : null);
  }

  private CollectResult collect(GpuTelemetry t, Measurement m, String metric) {
    return new ResultCollector(null, t)
        .collect(
            new CollectRequest(
                run,
                withMeasurement(m),
                ResultCollectorTest.ROUTING,
                null,
                List.of(GPU),
                null,
                T,
                T + 60_000,
                metric),
            settings);
  }

  private JsonNode line() throws Exception {
    List<String> lines = Files.readAllLines(RunLedger.of(tmp, "camp").file());
    assertEquals(1, lines.size());
    return new ObjectMapper().readTree(lines.get(0));
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "NO_ENERGY", "BELOW_IDLE", "ABOVE_LIMIT", "THERMAL_THROTTLE", "ENERGY_MISMATCH",
        "SAMPLE_GAP", "TOO_SHORT", "GPU_COUNT_MISMATCH", "CLOCK_STEP", "UPSTREAM_WARNING"
      })
  void aCodeInWarnModeIsRecordedAndTheRunCounts(String code) throws Exception {
    provoke(code);

    CollectResult r = collect(telemetry, policy(code, Measurement.WARN), "energyJ");

    assertEquals("completed", r.status(), code + ": " + r.failure());
    JsonNode v = line().get("validity");
    assertTrue(v.get("valid").asBoolean());
    assertEquals(List.of(code), texts(v.get("reasons")));
    assertEquals(List.of(), texts(v.get("notes")));
    assertEquals(line().get("metrics").get("energyJ").asDouble(), r.metric(), 1e-9);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "NO_ENERGY", "BELOW_IDLE", "ABOVE_LIMIT", "THERMAL_THROTTLE", "ENERGY_MISMATCH",
        "SAMPLE_GAP", "TOO_SHORT", "GPU_COUNT_MISMATCH", "CLOCK_STEP", "UPSTREAM_WARNING"
      })
  void aCodeInFailModeRecordsInvalidMeasurementListingIt(String code) throws Exception {
    provoke(code);

    CollectResult r = collect(telemetry, policy(code, Measurement.FAIL), "energyJ");

    assertEquals(FailureTypes.INVALID_MEASUREMENT, r.failure().type());
    assertTrue(r.failure().message().startsWith(code + ": "), r.failure().message());
    assertNull(r.metric(), "an invalid run gives no metric value");
    JsonNode line = line();
    assertFalse(line.get("validity").get("valid").asBoolean());
    assertEquals(List.of(code), texts(line.get("validity").get("reasons")));
    assertEquals("InvalidMeasurement", line.get("error").get("type").asText());
  }

  @Test
  void theDefaultsKeepTheOldRulesFailingAndTheNewOnesWarning() throws Exception {
    provoke(Measurement.SAMPLE_GAP);

    CollectResult r = collect(telemetry, Measurement.DEFAULT, null);

    assertEquals("completed", r.status());
    assertEquals(List.of("SAMPLE_GAP"), texts(line().get("validity").get("reasons")));
    assertNull(r.metric(), "no metric asked for, none returned");
  }

  @Test
  void severalCodesAreListedInTheTablesOrderWithTheirExplanations() throws Exception {
    List<SampleRound> rounds = plain();
    rounds.set(1, round(1000, null, 300, 300, ThrottleReasons.HW_THERMAL_SLOWDOWN));
    rounds.set(2, round(5000, null, 1500, 300, 0));
    record(rounds, "{\"total_energy_j\": 3000, \"measurement_warnings\": [\"w1\"]}");

    CollectResult r = collect(telemetry, Measurement.DEFAULT, null);

    assertEquals(
        List.of("THERMAL_THROTTLE", "ENERGY_MISMATCH", "SAMPLE_GAP", "UPSTREAM_WARNING"),
        texts(line().get("validity").get("reasons")));
    String m = r.failure().message();
    assertTrue(
        m.startsWith("THERMAL_THROTTLE, ENERGY_MISMATCH: the GPUs throttled for heat for 4 s"), m);
    assertTrue(m.contains("; host energy 1500 J vs container 3000 J differ by 100%"), m);
  }

  @Test
  void checkFalseAndAllowThermalThrottleStillLetTheRunCount() throws Exception {
    List<SampleRound> rounds = plain();
    rounds.set(1, round(1000, null, 300, 300, ThrottleReasons.SW_THERMAL_SLOWDOWN));
    record(rounds, "{\"total_energy_j\": 3000}");

    CollectResult r = collect(telemetry, new Measurement(false, 0.05, "within", false), null);

    assertEquals("completed", r.status());
    assertEquals(
        List.of("THERMAL_THROTTLE", "ENERGY_MISMATCH"),
        texts(line().get("validity").get("reasons")));
  }

  @Test
  void aHostWithoutNvmlIsValidWithANoteAndItsMetricsComeFromTheResult() throws Exception {
    Files.writeString(
        folder.resolve("out/out/result.json"),
        "{\"total_energy_j\": 400, \"total_tokens\": 200, \"total_inference_time_sec\": 8}");

    CollectResult r =
        collect(new NoGpuTelemetry("no NVML on this host"), Measurement.DEFAULT, "tokensPerSecond");

    assertEquals("completed", r.status());
    JsonNode line = line();
    assertTrue(line.get("validity").get("valid").asBoolean());
    assertEquals(List.of(), texts(line.get("validity").get("reasons")));
    assertEquals(List.of("NO_HOST_MEASUREMENT"), texts(line.get("validity").get("notes")));
    JsonNode m = line.get("metrics");
    assertEquals("result", m.get("energySource").asText());
    assertEquals(400.0, m.get("energyJ").asDouble(), 1e-9);
    assertEquals(2.0, m.get("energyPerTokenJ").asDouble(), 1e-9);
    assertFalse(m.has("energyAdjustedJ"), "no idle power: unknown, absent");
    assertEquals(25.0, r.metric(), 1e-9);
  }

  @Test
  void aResultLackingTheMetricFailsResultInvalidNamingIt() throws Exception {
    record(plain(), "{\"total_energy_j\": 590}");

    CollectResult r = collect(telemetry, Measurement.DEFAULT, "energyPerTokenJ");

    assertEquals(FailureTypes.RESULT_INVALID, r.failure().type());
    assertEquals(
        "the campaign's metric energyPerTokenJ cannot be computed for this run: the result reports"
            + " no total_tokens (nor input_tokens and output_tokens, nor output_tokens), so"
            + " energyPerTokenJ is unknown",
        r.failure().message());
    assertNull(r.metric());
    assertEquals("ResultInvalid", line().get("error").get("type").asText());
  }

  @Test
  void aRetriedCollectAnswersTheSameMetricFromItsLine() throws Exception {
    record(plain(), PLAIN_RESULT);
    CollectResult first = collect(telemetry, Measurement.DEFAULT, "energyAdjustedJ");

    CollectResult again = collect(telemetry, Measurement.DEFAULT, "energyAdjustedJ");

    // 600 J over 2 s minus 80 W idle x 2 s
    assertEquals(440.0, first.metric(), 1e-9);
    assertEquals(first, again);
    JsonNode host = line().get("hostMeasurement");
    assertEquals(440.0, host.get("energyAdjustedJ").asDouble(), 1e-9);
    assertEquals(440.0, host.get("gpus").get(0).get("energyAdjustedJ").asDouble(), 1e-9);
  }
}
