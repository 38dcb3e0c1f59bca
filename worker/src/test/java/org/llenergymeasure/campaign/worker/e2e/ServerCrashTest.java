package org.llenergymeasure.campaign.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
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
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;

/**
 * The server is killed with kill -9 mid-campaign and started again on the same SQLite file: the
 * campaign continues from its history and every run is recorded exactly once.
 */
@Tag("docker")
@Tag("temporal")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(DockerExtension.class)
class ServerCrashTest {

  private static final String HOST = "crash-host";

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  @Test
  void aCampaignSurvivesKillMinus9OfTheServer(DockerClient docker, @TempDir Path tmp)
      throws Exception {
    Path repo = DockerExtension.repoRoot();
    LoadedCampaign loaded =
        CampaignLoader.parse(
            String.join(
                "\n",
                "campaign: server-crash",
                "defaults:",
                "  image: 'llem-probe:dev'",
                "  gpus: [0]",
                "  command: [sh, -c, 'sleep 2; echo {} > /results/result.json']",
                "experiments:",
                "  - {name: a}",
                "  - {name: b}",
                "execution: {cycles: 2}",
                ""),
            "server-crash.yaml");
    Path results = tmp.resolve("results");
    Path inventory = repo.resolve("examples/inventories/h200-1gpu");
    LlemHome home = new LlemHome(tmp.resolve("home"));
    String workflowId;
    try (HostRuntime runtime = HostRuntime.open(HOST, results, inventory, home)) {
      WorkerHost worker = new WorkerHost(temporal.client(), HOST, runtime.activities(), 1).start();
      workflowId =
          new CampaignStarter(temporal.client()).startOrAttach(loaded, List.of(HOST)).workflowId();
      waitUntilCompleted(temporal.client(), workflowId, 1);
      // The server runs SQLite in WAL mode without an fsync per commit (DevServerProcess): the
      // kill -9 below is what that mode must survive.
      Path wal =
          temporal.databaseFile().resolveSibling(temporal.databaseFile().getFileName() + "-wal");
      assertTrue(
          java.nio.file.Files.exists(wal),
          "the server's SQLite runs in WAL mode: " + wal + " exists");
      long oldPid = temporal.pid();
      worker.close();
      temporal.kill();
      temporal.restart();
      assertTrue(temporal.pid() != oldPid, "a new server process");
    }
    try (HostRuntime runtime = HostRuntime.open(HOST, results, inventory, home);
        WorkerHost worker =
            new WorkerHost(temporal.client(), HOST, runtime.activities(), 1).start()) {
      ProgressFollower.Ending ending =
          new ProgressFollower(temporal.client(), line -> {}, Duration.ofMillis(200), p -> {})
              .follow(workflowId);
      assertEquals(ExitCodes.OK, ending.exitCode(), String.valueOf(ending));
      assertEquals(4, ending.progress().completed());
    }
    List<LedgerEntry> ledger = RunLedger.of(results, "server-crash").read();
    Map<String, Long> perRun =
        ledger.stream().collect(Collectors.groupingBy(LedgerEntry::runId, Collectors.counting()));
    assertEquals(
        Map.of("a.c1", 1L, "b.c1", 1L, "a.c2", 1L, "b.c2", 1L),
        perRun,
        "every run recorded exactly once");
    assertTrue(ledger.stream().allMatch(e -> e.status().equals("completed")), ledger.toString());
    assertEquals(
        0,
        DockerExtension.removeContainersLabelled(docker, "llem.campaign=server-crash"),
        "containers left");
  }

  private static void waitUntilCompleted(WorkflowClient client, String workflowId, int runs)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        CampaignProgress p =
            client.newUntypedWorkflowStub(workflowId).query("progress", CampaignProgress.class);
        if (p.completed() + p.failed() >= runs) {
          return;
        }
      } catch (RuntimeException notYet) {
        // no workflow task has run yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no run finished within 2 minutes");
  }
}
