package org.llenergymeasure.campaign.activities.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.AttemptFolder;
import org.llenergymeasure.campaign.activities.gpu.telemetry.GpuSample;
import org.llenergymeasure.campaign.activities.gpu.telemetry.GpuTelemetry;
import org.llenergymeasure.campaign.activities.ledger.ResultCollector;
import org.llenergymeasure.campaign.activities.ledger.RunLedger;
import org.llenergymeasure.campaign.activities.measurement.RunSampler;
import org.llenergymeasure.campaign.activities.measurement.SampleLog;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.Measurement;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.CollectRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;

/**
 * A real process reports its own measurement window on the wall clock, the host samples its GPU
 * every 100 ms meanwhile, and the ledger line carries the host's energy over that window. The GPU
 * is simulated on the same wall clock: a steady {@value #WATTS} W, so the energy over any stretch
 * is {@value #WATTS} W times its length.
 */
@Tag("process")
class ProcessRunWindowTest {

  static final double WATTS = 250;

  @TempDir Path tmp;

  /** One GPU drawing a steady power, read on the wall clock. */
  static final class SteadyGpus implements GpuTelemetry {
    @Override
    public Optional<String> unavailableReason() {
      return Optional.empty();
    }

    @Override
    public Map<String, GpuSample> sample(Collection<String> uuids) {
      long now = System.currentTimeMillis();
      Map<String, GpuSample> out = new LinkedHashMap<>();
      for (String u : uuids) {
        out.put(u, new GpuSample(u, now, Math.round(WATTS * now), WATTS, 50, 1980, 0L, 700.0));
      }
      return out;
    }

    @Override
    public Map<String, GpuSample> sampleAll() {
      return Map.of();
    }

    @Override
    public void close() {}
  }

  @Test
  void theLedgerLineCarriesTheHostsEnergyOverTheWindowTheProcessReported() throws Exception {
    ProcessRunFixture fx = new ProcessRunFixture(tmp);
    ProcessRunBackend processes = fx.processes();
    ProcessRunFixture.Exp exp =
        new ProcessRunFixture.Exp()
            .shell(
                // Start-up outside the window, then the window, then a tail outside it; the run's
                // own energy is 250 W over its window: (end - start) / 4 J.
                "sleep 0.6; s=$(date +%s%3N); sleep 1.5; e=$(date +%s%3N); sleep 0.4;"
                    + " printf '{\"total_energy_j\": %s, \"total_tokens\": 300,"
                    + " \"windowStartMs\": %s, \"windowEndMs\": %s}'"
                    + " $(( (e - s) / 4 )) $s $e > \"$LLEM_RESULTS_DIR/result.json\"");
    exp.gpus = List.of("1");
    Experiment plain = exp.build();
    // compareEnergy: equal holds only like for like: over the whole await (about 2.5 s) the host
    // saw some 60% more than the run's 1.5 s window.
    Experiment e = equal(plain);
    LaunchRequest request = new LaunchRequest(fx.run("w.c1", 1), e, ProcessRunFixture.route(e));
    List<String> uuids = request.routing().uuids();
    GpuTelemetry gpus = new SteadyGpus();
    RunSampler sampler = new RunSampler(gpus, Duration.ofMillis(100), Clock.systemUTC());

    LaunchResult launched = processes.launch(request, fx.settings);
    processes.release(launched.handle());
    try (RunSampler.Sampling s =
        sampler.start(AttemptFolder.of(fx.settings, request.run()), uuids, "window")) {
      processes.await(
          new AwaitRequest(request.run(), e, launched.handle()), fx.settings, null, p -> {});
    }
    var collected =
        new ResultCollector(processes, gpus)
            .collect(
                new CollectRequest(
                    request.run(),
                    e,
                    request.routing(),
                    launched.handle(),
                    uuids,
                    null,
                    1,
                    2,
                    "energyPerTokenJ"),
                fx.settings);
    processes.cleanup(
        new CleanupRequest(request.run(), launched.handle(), request.routing()), fx.settings);

    assertEquals("completed", collected.status(), String.valueOf(collected.failure()));
    String line = Files.readAllLines(RunLedger.of(fx.root, fx.campaign).file()).get(0);
    JsonNode host = new ObjectMapper().readTree(line).get("hostMeasurement");
    JsonNode result = new ObjectMapper().readTree(line).get("result");
    JsonNode w = host.get("window");
    long start = result.get("windowStartMs").asLong();
    long end = result.get("windowEndMs").asLong();
    assertEquals(start, w.get("startMs").asLong());
    assertEquals(end, w.get("endMs").asLong());
    double expected = WATTS * (end - start) / 1000.0;
    // The readings' times are taken just before the GPU is read: a millisecond or two at 250 W.
    assertEquals(expected, w.get("energyJ").asDouble(), 2.0, w.toString());
    assertEquals("counter", w.get("method").asText());
    assertTrue(w.get("samples").asInt() >= 10, w.toString());
    // At least the 0.6 s before and the 0.4 s after the window (less slack for the readings'
    // edges), however long a loaded machine stretches the window itself.
    assertTrue(
        host.get("energyJ").asDouble() - w.get("energyJ").asDouble() > WATTS * 0.8,
        "the whole await includes the start-up: " + host);
    // The verdict on real clocks and readings every 100 ms: nothing fired.
    JsonNode validity = new ObjectMapper().readTree(line).get("validity");
    assertEquals("{\"valid\":true,\"reasons\":[],\"notes\":[]}", validity.toString());
    // The metrics use the window's energy; the campaign's metric comes back with the result.
    JsonNode metrics = new ObjectMapper().readTree(line).get("metrics");
    assertEquals("host-window", metrics.get("energySource").asText());
    assertEquals(
        w.get("energyJ").asDouble() / 300, metrics.get("energyPerTokenJ").asDouble(), 1e-9);
    assertEquals(
        300 / w.get("durationS").asDouble(), metrics.get("tokensPerSecond").asDouble(), 1e-9);
    assertEquals(metrics.get("energyPerTokenJ").asDouble(), collected.metric(), 1e-12);
    // Each round recorded the monotonic clock beside the wall clock.
    String first =
        Files.readAllLines(AttemptFolder.of(fx.settings, request.run()).resolve(SampleLog.SAMPLES))
            .get(0);
    assertTrue(first.contains("\"monoMillis\":"), first);
  }

  private static Experiment equal(Experiment x) {
    return new Experiment(
        x.name(),
        x.image(),
        x.command(),
        x.gpus(),
        x.parallelism(),
        x.env(),
        x.secrets(),
        x.mounts(),
        x.resultsDir(),
        x.resultFile(),
        x.shmSize(),
        x.ipc(),
        x.timeout(),
        x.silenceTimeout(),
        x.retries(),
        x.memory(),
        x.network(),
        x.busy(),
        x.probe(),
        x.host(),
        x.labels(),
        x.remeasure(),
        new Measurement(true, 0.05, Measurement.EQUAL, false),
        x.allowDangerousMounts(),
        null,
        null,
        null);
  }
}
