package org.llenergymeasure.campaign.activities.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.gpu.telemetry.NoGpuTelemetry;
import org.llenergymeasure.campaign.config.BusyPolicy;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.config.LlenergymeasureSpec;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.CollectRequest;
import org.llenergymeasure.campaign.workflows.host.CollectResult;
import org.llenergymeasure.campaign.workflows.host.RunFailure;
import org.llenergymeasure.campaign.workflows.host.RunRef;

/** Collect of an llenergymeasure experiment: the ledger line, and the answer a retry gets. */
class UpstreamCollectTest {

  @TempDir Path tmp;
  HostSettings settings;
  Path out;
  final RunRef run = new RunRef("camp", "lem.c1", "lem", 1, 1);
  final ResultCollector collector =
      new ResultCollector(null, new NoGpuTelemetry("no GPU telemetry here"));

  static Experiment experiment(List<String> secrets) {
    return new Experiment(
        "lem",
        "ghcr.io/henrycgbaker/llenergymeasure/vllm:v0.9.0",
        null,
        GpuRequest.none(),
        null,
        null,
        secrets,
        null,
        "/results",
        "result.json",
        8L << 30,
        null,
        Duration.ofHours(1),
        Duration.ofMinutes(5),
        1,
        null,
        null,
        BusyPolicy.WAIT,
        null,
        null,
        null,
        0,
        null,
        false,
        new LlenergymeasureSpec("{\"engine\":\"vllm\"}", "vllm", "0.9.0", null),
        null,
        null);
  }

  @BeforeEach
  void setUp() throws Exception {
    settings = new HostSettings("h1", tmp, null, Map.of("HF_TOKEN", "hf_sekrit1234"), null);
    out = Files.createDirectories(settings.attemptDir(run).resolve("out"));
  }

  private CollectResult collect(RunFailure failure) {
    return collector.collect(
        new CollectRequest(
            run,
            experiment(List.of("HF_TOKEN")),
            null,
            "llem-camp-R-lem.c1-A1",
            List.of(),
            failure,
            1_700_000_000_000L,
            1_700_000_060_000L),
        settings);
  }

  @Test
  void aConfigErrorIsRecordedWithItsUpstreamTypeAndAnsweredAlikeFromTheLedger() throws Exception {
    Files.writeString(
        out.resolve("llem_error.json"),
        "{\"type\": \"ConfigError\", \"message\": \"no access with token hf_sekrit1234\","
            + " \"traceback\": \"Traceback ...\"}");

    CollectResult first =
        collect(new RunFailure(FailureTypes.EXIT_NON_ZERO, "the run exited with code 1"));

    assertEquals("failed", first.status());
    assertEquals(FailureTypes.EXPERIMENT_ERROR, first.failure().type());
    assertEquals(false, first.failure().retryable());
    assertFalse(first.failure().message().contains("hf_sekrit1234"), first.failure().message());
    assertTrue(first.failure().message().contains("<secret HF_TOKEN>"), first.failure().message());
    String line = Files.readString(RunLedger.of(tmp, "camp").file());
    assertTrue(line.contains("\"upstreamType\":\"ConfigError\""), line);
    assertFalse(line.contains("hf_sekrit1234"), line);

    // A collect tried again after a crash answers from the ledger line: the same decision.
    CollectResult again = collect(new RunFailure(FailureTypes.EXIT_NON_ZERO, "exit 1"));
    assertEquals(first, again);
    assertEquals(1, RunLedger.of(tmp, "camp").read().size());
  }

  @Test
  void aRuntimeErrorFromTheLedgerIsRetryable() throws Exception {
    Files.writeString(
        out.resolve("llem_error.json"),
        "{\"type\": \"RuntimeError\", \"message\": \"CUDA out of memory\", \"traceback\": \"\"}");
    collect(new RunFailure(FailureTypes.EXIT_NON_ZERO, "exit 1"));

    CollectResult fromLedger = collect(null);

    assertEquals(FailureTypes.EXPERIMENT_ERROR, fromLedger.failure().type());
    assertEquals(true, fromLedger.failure().retryable());
    assertEquals("RuntimeError", RunLedger.of(tmp, "camp").read().get(0).error().upstreamType());
  }

  @Test
  void theResultIsKeptWithItsNameBesideTheWorkersRecordsAndOtherLinesHaveNoUpstreamType()
      throws Exception {
    Files.writeString(out.resolve("baseline_result.json"), "{\"power_w\": 60}");
    Files.writeString(out.resolve("9944baab_result.json"), "{\"total_energy_j\": 228.5}");

    CollectResult result = collect(null);

    assertEquals("completed", result.status(), String.valueOf(result.failure()));
    assertEquals(Map.of("total_energy_j", 228.5), result.resultSummary());
    assertEquals(
        "{\"total_energy_j\": 228.5}",
        Files.readString(settings.attemptDir(run).resolve("9944baab_result.json")));
    assertFalse(Files.exists(settings.attemptDir(run).resolve("baseline_result.json")));
    assertNull(RunLedger.of(tmp, "camp").read().get(0).error());
  }

  @Test
  void aFailureLineWithoutUpstreamTypeIsWrittenAsBefore() throws Exception {
    collect(new RunFailure(FailureTypes.OOM_KILLED, "killed for memory"));

    String line = Files.readString(RunLedger.of(tmp, "camp").file());
    assertTrue(
        line.contains("\"error\":{\"type\":\"OomKilled\",\"message\":\"killed for memory\"}"),
        line);
    CollectResult fromLedger = collect(null);
    assertNull(fromLedger.failure().retryable(), "decided by its type, as before");
  }
}
