package org.llenergymeasure.campaign.activities.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.AttemptFolder;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.gpu.telemetry.GpuTelemetry;
import org.llenergymeasure.campaign.activities.gpu.telemetry.NoGpuTelemetry;
import org.llenergymeasure.campaign.activities.gpu.telemetry.ScriptedGpuTelemetry;
import org.llenergymeasure.campaign.activities.measurement.RunSampler;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.CollectRequest;
import org.llenergymeasure.campaign.workflows.host.CollectResult;
import org.llenergymeasure.campaign.workflows.host.RunFailure;
import org.llenergymeasure.campaign.workflows.host.RunRef;

/** Collect with the host's readings: the ledger line's host measurement, its note, its verdict. */
class HostMeasurementCollectTest {

  static final String GPU = "GPU-9";
  @TempDir Path tmp;
  HostSettings settings;
  final RunRef run = new RunRef("camp", "exp.c2", "exp", 2, 1);
  ScriptedGpuTelemetry gpus;
  AttemptFolder folder;

  @BeforeEach
  void setUp() throws Exception {
    settings = new HostSettings("h1", tmp, null, Map.of(), null);
    folder = AttemptFolder.create(settings, run);
    // The run folder out/, then the resultFile's own sub-folder out/.
    Files.createDirectories(folder.resolve("out/out"));
    gpus = ScriptedGpuTelemetry.withStep(1000);
  }

  /** Idle at 80 W when routed, then a run at 300 W read at its start and end (1 s apart). */
  private void runAt300Watts() {
    RunSampler sampler = new RunSampler(gpus, Duration.ofHours(1), gpus.clock());
    gpus.gpu(GPU, 80);
    sampler.sampleIdle(folder, List.of(GPU));
    gpus.gpu(GPU, 80).power(300.0);
    sampler.start(folder, List.of(GPU), "t").close();
  }

  private void result(String json) throws Exception {
    Files.writeString(folder.resolve("out/out/result.json"), json);
  }

  private CollectResult collect(GpuTelemetry telemetry, RunFailure failure) {
    return new ResultCollector(null, telemetry)
        .collect(
            new CollectRequest(
                run,
                ResultCollectorTest.EXP,
                ResultCollectorTest.ROUTING,
                null,
                List.of(GPU),
                failure,
                1_700_000_000_000L,
                1_700_000_060_000L),
            settings);
  }

  private JsonNode ledgerLine() throws Exception {
    List<String> lines = Files.readAllLines(RunLedger.of(tmp, "camp").file());
    assertEquals(1, lines.size());
    return new ObjectMapper().readTree(lines.get(0));
  }

  @Test
  void aPlausibleRunIsCompletedWithTheHostsMeasurementBesideItsResult() throws Exception {
    runAt300Watts();
    result("{\"total_energy_j\": 290}");

    CollectResult r = collect(gpus, null);

    assertEquals("completed", r.status());
    JsonNode line = ledgerLine();
    JsonNode host = line.get("hostMeasurement");
    assertEquals("counter", host.get("method").asText());
    assertEquals(300.0, host.get("energyJ").asDouble(), 1e-9);
    assertEquals(300.0, host.get("meanPowerW").asDouble(), 1e-9);
    assertEquals(80.0, host.get("idlePowerW").asDouble(), 1e-9);
    assertEquals(700.0, host.get("powerLimitW").asDouble(), 1e-9);
    assertEquals(2, host.get("samples").asInt());
    assertEquals(GPU, host.get("gpus").get(0).get("uuid").asText());
    assertTrue(line.get("hostMeasurementNote").isNull());
    assertEquals(290, line.get("result").get("total_energy_j").asInt());
    // The record reads back as it was written.
    LedgerEntry e = RunLedger.of(tmp, "camp").find("exp.c2", 1).orElseThrow();
    assertEquals(300.0, e.hostMeasurement().energyJ(), 1e-9);
  }

  @Test
  void anImplausibleRunFailsWithInvalidMeasurementAndKeepsItsResultForInspection()
      throws Exception {
    runAt300Watts();
    result("{\"total_energy_j\": 400}");

    CollectResult r = collect(gpus, null);

    assertEquals("failed", r.status());
    assertEquals(FailureTypes.INVALID_MEASUREMENT, r.failure().type());
    // (400 - 300) / 300 = 33.3%
    assertTrue(
        r.failure()
            .message()
            .startsWith(
                "ENERGY_MISMATCH: host energy 300 J vs container 400 J differ by 33.3% > 5%"),
        r.failure().message());
    JsonNode line = ledgerLine();
    assertEquals("failed", line.get("status").asText());
    assertEquals("InvalidMeasurement", line.get("error").get("type").asText());
    assertEquals(400, line.get("result").get("total_energy_j").asInt());
    assertNotNull(line.get("hostMeasurement").get("energyJ"));
  }

  @Test
  void withoutNvmlNothingIsInventedAndTheLineSaysWhy() throws Exception {
    result("{\"total_energy_j\": 400}");

    CollectResult r = collect(new NoGpuTelemetry("no NVML on this host"), null);

    assertEquals("completed", r.status(), "nothing to judge without host readings");
    JsonNode line = ledgerLine();
    assertTrue(line.has("hostMeasurement") && line.get("hostMeasurement").isNull());
    assertEquals(
        "no host measurement: no NVML on this host", line.get("hostMeasurementNote").asText());
  }

  @Test
  void whereNvmlWorksARunWithoutReadingsIsInvalid() throws Exception {
    gpus.gpu(GPU, 300);
    result("{\"total_energy_j\": 400}");

    CollectResult r = collect(gpus, null);

    assertEquals(FailureTypes.INVALID_MEASUREMENT, r.failure().type());
    assertTrue(
        r.failure().message().contains("no GPU readings were recorded"), r.failure().message());
    assertEquals(
        "no host measurement: no GPU readings were recorded for this attempt (it never ran)",
        ledgerLine().get("hostMeasurementNote").asText());
  }

  @Test
  void aRunThatFailedForAnotherReasonKeepsThatReasonAndItsHostMeasurement() throws Exception {
    runAt300Watts();

    CollectResult r = collect(gpus, new RunFailure(FailureTypes.EXIT_NON_ZERO, "exited 3"));

    assertEquals(FailureTypes.EXIT_NON_ZERO, r.failure().type());
    JsonNode line = ledgerLine();
    assertTrue(line.get("result").isNull());
    assertEquals(300.0, line.get("hostMeasurement").get("energyJ").asDouble(), 1e-9);
  }

  @Test
  void checkFalseRecordsTheMeasurementButNeverFailsTheRun() throws Exception {
    runAt300Watts();
    result("{\"total_energy_j\": 400}");
    var exp = ResultCollectorTest.EXP;
    var recordOnly =
        new org.llenergymeasure.campaign.config.Experiment(
            exp.name(),
            exp.image(),
            exp.command(),
            exp.gpus(),
            exp.parallelism(),
            exp.env(),
            exp.secrets(),
            exp.mounts(),
            exp.resultsDir(),
            exp.resultFile(),
            exp.shmSize(),
            exp.ipc(),
            exp.timeout(),
            exp.silenceTimeout(),
            exp.retries(),
            exp.memory(),
            exp.network(),
            exp.busy(),
            exp.probe(),
            exp.host(),
            exp.labels(),
            0,
            new org.llenergymeasure.campaign.config.Measurement(false, 0.05, "within", false),
            false,
            exp.llenergymeasure(),
            exp.logLimit(),
            exp.user());

    CollectResult r =
        new ResultCollector(null, gpus)
            .collect(
                new CollectRequest(
                    run, recordOnly, ResultCollectorTest.ROUTING, null, List.of(GPU), null, 1L, 2L),
                settings);

    assertEquals("completed", r.status());
    assertNull(r.failure());
    assertEquals(300.0, ledgerLine().get("hostMeasurement").get("energyJ").asDouble(), 1e-9);
  }

  /** The await's readings (runAt300Watts) are at T + 1000 and T + 2000 ms of the virtual clock. */
  static final long T = 1_700_000_000_000L;

  private static String windowed(int joules, long startMs, long endMs) {
    return "{\"total_energy_j\": "
        + joules
        + ", \"windowStartMs\": "
        + startMs
        + ", \"windowEndMs\": "
        + endMs
        + "}";
  }

  @Test
  void aReportedWindowIsMeasuredAndTheLineCarriesIt() throws Exception {
    runAt300Watts();
    // 0.5 s at 300 W, inside the one second between the two readings.
    result(windowed(150, T + 1250, T + 1750));

    CollectResult r = collect(gpus, null);

    assertEquals("completed", r.status(), String.valueOf(r.failure()));
    JsonNode w = ledgerLine().get("hostMeasurement").get("window");
    assertEquals("windowStartMs/windowEndMs", w.get("source").asText());
    assertEquals(T + 1250, w.get("startMs").asLong());
    assertEquals(T + 1750, w.get("endMs").asLong());
    assertEquals("counter", w.get("method").asText());
    assertEquals(150.0, w.get("energyJ").asDouble(), 1e-9);
    assertEquals(0.5, w.get("durationS").asDouble(), 1e-9);
    assertEquals(300.0, w.get("meanPowerW").asDouble(), 1e-9);
    assertEquals("interpolated", w.get("edges").asText());
    assertTrue(w.get("note").isNull());
    assertEquals(GPU, w.get("gpus").get(0).get("uuid").asText());
    // The whole await is still there, unchanged.
    assertEquals(300.0, ledgerLine().get("hostMeasurement").get("energyJ").asDouble(), 1e-9);
    LedgerEntry e = RunLedger.of(tmp, "camp").find("exp.c2", 1).orElseThrow();
    assertEquals(150.0, e.hostMeasurement().window().energyJ(), 1e-9);
    assertEquals(150.0, e.hostMeasurement().windowEnergyJ(), 1e-9);
  }

  @Test
  void aRunAboveTheHostsEnergyOverItsWindowIsInvalidThoughBelowTheWholeAwait() throws Exception {
    runAt300Watts();
    result(windowed(200, T + 1250, T + 1750));

    CollectResult r = collect(gpus, null);

    // Against the whole await (300 J) 200 J would pass under compareEnergy: within.
    assertEquals(FailureTypes.INVALID_MEASUREMENT, r.failure().type());
    assertEquals(
        "ENERGY_MISMATCH: host energy 150 J vs container 200 J differ by 33.3% > 5% over the run's measurement"
            + " window (windowStartMs/windowEndMs, 0.5 s): the run reports more energy than its"
            + " GPUs used",
        r.failure().message());
  }

  @Test
  void aWindowOutsideTheAwaitGivesANoteAndTheWholeAwaitIsCompared() throws Exception {
    runAt300Watts();
    result(windowed(290, T + 500, T + 1750));

    CollectResult r = collect(gpus, null);

    assertEquals("completed", r.status());
    JsonNode w = ledgerLine().get("hostMeasurement").get("window");
    assertTrue(w.get("energyJ").isNull());
    assertTrue(
        w.get("note").asText().contains("starts 0.500 s before the first GPU reading"),
        w.get("note").asText());
  }

  @Test
  void aResultWithoutWindowHasNone() throws Exception {
    runAt300Watts();
    result("{\"total_energy_j\": 290}");

    collect(gpus, null);

    assertTrue(ledgerLine().get("hostMeasurement").get("window").isNull());
  }
}
