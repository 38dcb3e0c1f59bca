package org.llenergymeasure.campaign.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.dockerjava.api.DockerClient;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.ledger.RunLedger;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.worker.campaign.CampaignStarter;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.CampaignStatus;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflow;

/**
 * kill -9 of the worker process while a run is in await, on the real server and Docker engine: a
 * second worker process takes over (the await activity's retry re-attaches to the running container
 * by its name), and the campaign completes with every run recorded exactly once, each at its first
 * attempt, and no container left.
 */
@Tag("docker")
@Tag("temporal")
@ExtendWith(DockerExtension.class)
class WorkerCrashEndToEndTest {

  private static final String HOST = "crash-host";

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  @Test
  void aWorkerKilledMidRunIsReplacedAndEveryRunIsRecordedOnce(
      DockerClient docker, @TempDir Path tmp) throws Exception {
    Path repo = DockerExtension.repoRoot();
    Path inventory = repo.resolve("examples/inventories/sim-4gpu-idle");
    LoadedCampaign loaded =
        CampaignLoader.parse(
            String.join(
                "\n",
                "campaign: e2e-crash",
                "defaults:",
                "  image: 'llem-probe:dev'",
                "  timeout: 5m",
                "  command: [sh, -c, 'echo working; sleep 6; printf \"{\\\"ok\\\": 1}\" > /results/result.json; echo done']",
                "experiments:",
                "  - name: first",
                "    gpus: [0]",
                "  - name: second",
                "    gpus: [1]",
                "  - name: third",
                "    gpus: [2]",
                ""),
            "e2e-crash.yaml");
    Path results = tmp.resolve("results");
    WorkflowClient client = temporal.client();
    Process worker = startWorker(tmp, inventory, results, "w1");
    Process replacement = null;
    try {
      CampaignStarter.Started started =
          new CampaignStarter(client).startOrAttach(loaded, List.of(HOST));
      CampaignWorkflow campaign =
          client.newWorkflowStub(CampaignWorkflow.class, started.workflowId());
      // Kill the worker while "second" runs (routed, so its container is up and awaited).
      waitUntilRunning(campaign, "second");
      Thread.sleep(2000);
      worker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      replacement = startWorker(tmp, inventory, results, "w2");

      CampaignProgress end =
          WorkflowStub.fromTyped(campaign).getResult(4, TimeUnit.MINUTES, CampaignProgress.class);
      assertEquals(CampaignStatus.COMPLETED, end.state());
      assertEquals(
          3, end.completed(), end + " ledger: " + RunLedger.of(results, "e2e-crash").read());

      List<LedgerEntry> ledger = RunLedger.of(results, "e2e-crash").read();
      List<String> keys = new ArrayList<>();
      for (LedgerEntry e : ledger) {
        keys.add(e.runId() + "#" + e.attempt() + " " + e.status());
      }
      assertEquals(
          List.of("first.c1#1 completed", "second.c1#1 completed", "third.c1#1 completed"), keys);
      assertEquals(
          0,
          DockerExtension.removeContainersLabelled(docker, "llem.campaign=e2e-crash"),
          "containers left");
    } finally {
      worker.destroyForcibly();
      if (replacement != null) {
        replacement.destroy();
        if (!replacement.waitFor(20, TimeUnit.SECONDS)) {
          replacement.destroyForcibly();
        }
      }
      DockerExtension.removeContainersLabelled(docker, "llem.campaign=e2e-crash");
    }
  }

  private static void waitUntilRunning(CampaignWorkflow campaign, String experiment)
      throws InterruptedException {
    for (int i = 0; i < 1200; i++) {
      try {
        CampaignProgress p = campaign.progress();
        if (p.running().stream()
            .anyMatch(r -> r.runId().startsWith(experiment + ".") && r.host() != null)) {
          return;
        }
      } catch (RuntimeException notYet) {
        // no worker has picked the campaign up yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError(experiment + " never started running");
  }

  /** A worker in its own JVM, from this test's class path, so kill -9 kills a real process. */
  private static Process startWorker(Path tmp, Path inventory, Path results, String name)
      throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb =
        new ProcessBuilder(
            java.toString(),
            "-cp",
            System.getProperty("java.class.path"),
            "org.llenergymeasure.campaign.worker.cli.Main",
            "worker",
            "--host-id",
            HOST,
            "--inventory",
            inventory.toString(),
            "--temporal",
            temporal.address(),
            "--results",
            results.toString());
    pb.environment().put("LLEM_HOME", tmp.resolve("home").toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(tmp.resolve("worker-" + name + ".log").toFile());
    return pb.start();
  }
}
