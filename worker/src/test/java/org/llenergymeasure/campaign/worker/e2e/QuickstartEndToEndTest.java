package org.llenergymeasure.campaign.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.temporal.client.WorkflowClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.ledger.RunLedger;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.worker.LlemHome;
import org.llenergymeasure.campaign.worker.campaign.CampaignStarter;
import org.llenergymeasure.campaign.worker.campaign.ProgressFollower;
import org.llenergymeasure.campaign.worker.host.HostRuntime;
import org.llenergymeasure.campaign.worker.host.WorkerHost;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;

/**
 * The walking skeleton end to end on the real parts: a real Temporal dev server, a worker in this
 * JVM, the real Docker engine and the llem-probe image whose simulated NVIDIA runtime applies the
 * visibility rules on its own.
 */
@Tag("docker")
@Tag("temporal")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(DockerExtension.class)
class QuickstartEndToEndTest {

  private static final String HOST = "e2e-host";

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  private final Path repo = DockerExtension.repoRoot();
  private final Path inventory = repo.resolve("examples/inventories/sim-4gpu-idle");

  @Test
  void quickstartCompletesEveryRunOnItsVerifiedGpusAndLeavesNoContainer(
      DockerClient docker, @TempDir Path tmp) throws Exception {
    LoadedCampaign loaded = CampaignLoader.load(repo.resolve("examples/quickstart.yaml"));
    Path results = tmp.resolve("results");
    ProgressFollower.Ending ending = runToEnd(loaded, results, tmp);

    assertEquals(ExitCodes.OK, ending.exitCode(), "campaign ending: " + ending);
    assertEquals(6, ending.progress().completed());
    assertEquals(0, ending.progress().failed());

    Map<Integer, String> uuids = InventoryFile.uuidsByIndex(inventory);
    Map<String, List<String>> expected =
        Map.of(
            "small-on-gpu0", List.of(uuids.get(0)),
            "pair-on-gpu1-2", List.of(uuids.get(1), uuids.get(2)),
            "large-on-gpu3", List.of(uuids.get(3)));
    List<LedgerEntry> ledger = RunLedger.of(results, "quickstart").read();
    assertEquals(6, ledger.size(), "one ledger line per run attempt: " + ledger);
    List<String> runIds = new ArrayList<>();
    for (LedgerEntry run : ledger) {
      runIds.add(run.runId());
      assertEquals("completed", run.status(), run.toString());
      assertEquals(1, run.attempt());
      assertEquals(HOST, run.host());
      List<String> want = expected.get(run.experiment());
      assertEquals(want, run.routing().uuids(), "routed GPUs of " + run.runId());
      assertEquals(want, run.verifiedUuids(), "GPUs the run proved to see, " + run.runId());
      // Inside the container CUDA numbers the run's GPUs from 0, never by host index.
      assertEquals(want.size() == 1 ? "0" : "0,1", run.routing().env().get("CUDA_VISIBLE_DEVICES"));
      assertEquals(String.join(",", want), run.routing().env().get("NVIDIA_VISIBLE_DEVICES"));
      assertNull(run.error());
      assertNotNull(run.result());
      assertEquals(run.experiment().split("-")[0], run.result().get("experiment").asText());
      Path attempt = results.resolve("quickstart").resolve(run.runId()).resolve("a1");
      String probe = Files.readString(attempt.resolve("probe.txt"));
      for (String uuid : want) {
        assertTrue(probe.contains(uuid), "probe.txt names " + uuid + ":\n" + probe);
      }
      String log = Files.readString(attempt.resolve("log.txt"));
      assertTrue(log.contains("done"), "the run's own log was saved:\n" + log);
      // What the experiment itself printed: nvidia-smi inside saw exactly its GPUs.
      for (String other : uuids.values()) {
        assertEquals(
            want.contains(other),
            log.contains(other),
            other + " in the log of " + run.runId() + ":\n" + log);
      }
    }
    assertEquals(
        List.of(
            "small-on-gpu0.c1",
            "pair-on-gpu1-2.c1",
            "large-on-gpu3.c1",
            "small-on-gpu0.c2",
            "pair-on-gpu1-2.c2",
            "large-on-gpu3.c2"),
        runIds,
        "interleaved order");
    assertEquals(
        0,
        DockerExtension.removeContainersLabelled(docker, "llem.campaign=quickstart"),
        "containers left");

    // The same file again never re-runs an ended campaign.
    CampaignStarter.Started again =
        new CampaignStarter(temporal.client()).startOrAttach(loaded, List.of(HOST));
    assertFalse(again.started());
    assertTrue(again.ended());
  }

  @Test
  void aRunThatFailsEveryAttemptIsRetriedThenReportedWithItsType(
      DockerClient docker, @TempDir Path tmp) throws Exception {
    LoadedCampaign loaded =
        CampaignLoader.parse(
            String.join(
                "\n",
                "campaign: e2e-failing",
                "defaults: {image: 'llem-probe:dev', timeout: 2m}",
                "experiments:",
                "  - name: ok",
                "    gpus: [0]",
                "    command: [sh, -c, 'echo {} > /results/result.json']",
                "  - name: broken",
                "    gpus: [1]",
                "    retries: 1",
                "    command: [sh, -c, 'echo failing on purpose; exit 3']",
                ""),
            "e2e-failing.yaml");
    Path results = tmp.resolve("results");
    ProgressFollower.Ending ending = runToEnd(loaded, results, tmp);

    assertEquals(ExitCodes.RUNS_FAILED, ending.exitCode());
    assertEquals(1, ending.progress().completed());
    assertEquals(1, ending.progress().failed());
    assertEquals("ExitNonZero", ending.progress().recentFailures().get(0).type());

    List<LedgerEntry> ledger = RunLedger.of(results, "e2e-failing").read();
    List<LedgerEntry> broken = ledger.stream().filter(e -> e.runId().equals("broken.c1")).toList();
    assertEquals(
        List.of(1, 2),
        broken.stream().map(LedgerEntry::attempt).toList(),
        "a new attempt after ExitNonZero");
    for (LedgerEntry attempt : broken) {
      assertEquals("failed", attempt.status());
      assertEquals("ExitNonZero", attempt.error().type());
      assertTrue(attempt.error().message().contains("3"), attempt.error().message());
    }
    assertEquals(
        0,
        DockerExtension.removeContainersLabelled(docker, "llem.campaign=e2e-failing"),
        "containers left");
  }

  private ProgressFollower.Ending runToEnd(LoadedCampaign loaded, Path results, Path tmp)
      throws Exception {
    WorkflowClient client = temporal.client();
    List<String> lines = new CopyOnWriteArrayList<>();
    try (HostRuntime runtime =
            HostRuntime.open(HOST, results, inventory, new LlemHome(tmp.resolve("home")));
        WorkerHost worker = new WorkerHost(client, HOST, runtime.activities(), 1).start()) {
      CampaignStarter.Started started =
          new CampaignStarter(client).startOrAttach(loaded, List.of(HOST));
      assertTrue(started.started());
      return new ProgressFollower(client, lines::add, Duration.ofMillis(200), p -> {})
          .follow(started.workflowId());
    }
  }
}
