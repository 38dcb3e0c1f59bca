package org.llenergymeasure.campaign.activities.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.gpu.telemetry.NoGpuTelemetry;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.config.BusyPolicy;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.CollectRequest;
import org.llenergymeasure.campaign.workflows.host.CollectResult;
import org.llenergymeasure.campaign.workflows.host.DeviceMapping;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.RoutedDevice;
import org.llenergymeasure.campaign.workflows.host.RunFailure;
import org.llenergymeasure.campaign.workflows.host.RunRef;

class ResultCollectorTest {

  @TempDir Path tmp;
  HostSettings settings;
  Path dir;
  final AtomicInteger logSaves = new AtomicInteger();
  ResultCollector collector;
  final RunRef run = new RunRef("camp", "exp.c2", "exp", 2, 1);

  static final GpuRouting ROUTING =
      new GpuRouting(
          "h1",
          AttachMode.ENV,
          List.of(new RoutedDevice("GPU-9", 3, "H100", null, null)),
          Map.of("CUDA_VISIBLE_DEVICES", "0"),
          null,
          1,
          List.of("GPU-9"),
          List.of(new DeviceMapping(0, "GPU-9", 3)),
          true);

  static final Experiment EXP =
      new Experiment(
          "exp",
          "img",
          null,
          GpuRequest.none(),
          null,
          null,
          null,
          null,
          "/results",
          "out/result.json",
          null,
          null,
          Duration.ofHours(1),
          Duration.ofMinutes(5),
          0,
          null,
          null,
          BusyPolicy.WAIT,
          null,
          null,
          null,
          0,
          null,
          false,
          null,
          null,
          null);

  @BeforeEach
  void setUp() throws Exception {
    settings = new HostSettings("h1", tmp, null, Map.of(), null);
    // The run folder out/, then the resultFile's own sub-folder out/.
    dir = Files.createDirectories(settings.attemptDir(run).resolve("out").resolve("out"));
    collector =
        new ResultCollector(
            (handle, attemptDir) -> logSaves.incrementAndGet() > 0,
            new NoGpuTelemetry("no GPU telemetry here"));
  }

  private CollectResult collect(RunFailure failure) {
    return collector.collect(
        new CollectRequest(
            run,
            EXP,
            ROUTING,
            "llem-camp-exp.c2-a1",
            List.of("GPU-9"),
            failure,
            1_700_000_000_000L,
            1_700_000_060_000L),
        settings);
  }

  @Test
  void completedRunRecordsTheWholeResultAndReturnsANumericSummary() throws Exception {
    Files.writeString(
        dir.resolve("result.json"),
        "{\"model\":\"llama\",\"total_energy_j\":1234.5,\"avg_tokens_per_second\":88,"
            + "\"per_gpu\":[1,2],\"nested\":{\"x\":1}}");

    CollectResult result = collect(null);

    assertEquals("completed", result.status());
    assertNull(result.failure());
    assertEquals(
        Map.of("total_energy_j", 1234.5, "avg_tokens_per_second", 88L), result.resultSummary());
    assertEquals(settings.attemptDir(run).toAbsolutePath().toString(), result.resultDir());
    LedgerEntry e = RunLedger.of(tmp, "camp").find("exp.c2", 1).orElseThrow();
    assertEquals("llama", e.result().get("model").asText());
    assertEquals(2, e.result().get("per_gpu").size());
    assertEquals("2023-11-14T22:13:20Z", e.startedAt());
    assertEquals("h1", e.host());
    assertEquals(List.of("GPU-9"), e.routing().uuids());
    assertEquals(List.of("GPU-9"), e.verifiedUuids());
    assertEquals(1, logSaves.get());
  }

  @Test
  void missingResultFileIsResultMissing() {
    CollectResult result = collect(null);
    assertEquals("failed", result.status());
    assertEquals(FailureTypes.RESULT_MISSING, result.failure().type());
    assertTrue(
        result.failure().message().contains("/results/out/result.json"),
        result.failure().message());
    assertEquals(
        FailureTypes.RESULT_MISSING, RunLedger.of(tmp, "camp").read().get(0).error().type());
  }

  @Test
  void resultThatIsNotAJsonObjectIsResultInvalid() throws Exception {
    Files.writeString(dir.resolve("result.json"), "[1, 2, 3]");
    CollectResult array = collect(null);
    assertEquals(FailureTypes.RESULT_INVALID, array.failure().type());
    assertTrue(array.failure().message().contains("JSON object"), array.failure().message());
  }

  @Test
  void brokenJsonIsResultInvalid() throws Exception {
    Files.writeString(dir.resolve("result.json"), "{\"total_energy_j\": 12,");
    assertEquals(FailureTypes.RESULT_INVALID, collect(null).failure().type());
  }

  @Test
  void oversizedResultIsResultInvalidWithoutReadingItAll() throws Exception {
    try (var ch =
        java.nio.channels.FileChannel.open(
            dir.resolve("result.json"),
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {'{'}), ResultCollector.MAX_RESULT_BYTES + 10);
    }
    CollectResult r = collect(null);
    assertEquals(FailureTypes.RESULT_INVALID, r.failure().type());
    assertTrue(r.failure().message().contains("16 MiB"), r.failure().message());
  }

  @Test
  void givenFailureIsRecordedWithoutReadingTheResult() throws Exception {
    Files.writeString(dir.resolve("result.json"), "{\"total_energy_j\": 1}");
    CollectResult r = collect(new RunFailure(FailureTypes.OOM_KILLED, "out of memory"));
    assertEquals("failed", r.status());
    assertEquals(new RunFailure(FailureTypes.OOM_KILLED, "out of memory"), r.failure());
    assertEquals(Map.of(), r.resultSummary());
    assertNull(RunLedger.of(tmp, "camp").read().get(0).result());
  }

  @Test
  void collectRetriedAfterACrashAnswersFromTheLedgerAndWritesNothingTwice() throws Exception {
    Files.writeString(dir.resolve("result.json"), "{\"total_energy_j\": 5}");
    CollectResult first = collect(null);
    Files.delete(dir.resolve("result.json")); // whatever happens to the folder later

    CollectResult again = collect(null);

    assertEquals(first, again);
    assertEquals(1, RunLedger.of(tmp, "camp").read().size());
  }
}
