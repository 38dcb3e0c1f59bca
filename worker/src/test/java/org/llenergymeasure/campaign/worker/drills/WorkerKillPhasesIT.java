package org.llenergymeasure.campaign.worker.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
 * Drill 1: kill -9 of the worker process inside each host step of a run (route, launch, verify,
 * await, collect, cleanup), one step per run, the worker restarted each time. Every run must be
 * recorded exactly once, completed at its first attempt, with no container left. Along the way the
 * security checks: no container privileged, in the host's PID namespace or with the Docker socket;
 * the results mount is the attempt's own folder; the secret's value appears in no workflow history,
 * log or result file; server and worker listen on loopback only.
 */
@ExtendWith(DockerExtension.class)
class WorkerKillPhasesIT {

  private static final String CAMPAIGN = "drill-kill";
  private static final String HOST = "drill-kill-host";
  private static final List<String> STEPS =
      List.of("Route", "Launch", "Verify", "Await", "Collect", "Cleanup");
  private static final int REPEATS = 2;

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  @Test
  void aWorkerKilledInEachStepLosesNoRunAndRecordsNoneTwice(DockerClient docker, @TempDir Path tmp)
      throws Exception {
    String secret = "s3cr3t-" + UUID.randomUUID();
    StringBuilder yaml =
        new StringBuilder(
            String.join(
                "\n",
                "campaign: " + CAMPAIGN,
                "defaults:",
                "  image: 'llem-probe:dev'",
                "  timeout: 2m",
                "  secrets: [LLEM_DRILL_TOKEN]",
                // The run prints its secret: the saved log must have it masked.
                "  command: [sh, -c, 'echo token=$LLEM_DRILL_TOKEN; sleep 3; printf \"{\\\"ok\\\": 1}\" > /results/result.json']",
                "experiments:",
                ""));
    // Each step's drill is repeated on a different run: two cycles of one experiment per step,
    // in grouped order, killed in that step in both of its runs.
    List<String> runIds = new ArrayList<>();
    for (int i = 0; i < STEPS.size(); i++) {
      String name = "kill-in-" + STEPS.get(i).toLowerCase();
      yaml.append("  - name: ").append(name).append("\n    gpus: [").append(i % 4).append("]\n");
      for (int cycle = 1; cycle <= REPEATS; cycle++) {
        runIds.add(name + ".c" + cycle);
      }
    }
    yaml.append("execution:\n  order: grouped\n  cycles: ").append(REPEATS).append('\n');
    LoadedCampaign loaded = CampaignLoader.parse(yaml.toString(), CAMPAIGN + ".yaml");

    Path results = tmp.resolve("results");
    Path home = tmp.resolve("home");
    Path logs = tmp.resolve("worker-logs");
    Files.createDirectories(logs);
    Path inventory = DockerExtension.repoRoot().resolve("examples/inventories/sim-4gpu-idle");
    Map<String, String> env = Map.of("LLEM_DRILL_TOKEN", secret, "LLEM_TEST_STEP_DELAY_MS", "2500");
    WorkflowClient client = temporal.client();
    List<String> securityProblems = new ArrayList<>();
    List<String> killedIn = new ArrayList<>();

    Process worker =
        DrillKit.worker(
            temporal.address(), HOST, inventory, results, home, env, logs.resolve("w0.log"));
    try {
      CampaignStarter.Started started =
          new CampaignStarter(client).startOrAttach(loaded, List.of(HOST));
      for (int i = 0; i < runIds.size(); i++) {
        String step = STEPS.get(i / REPEATS);
        String runWorkflow = started.workflowId() + "/" + runIds.get(i);
        waitForStep(client, runWorkflow, step);
        securityProblems.addAll(DrillKit.containerProblems(docker, CAMPAIGN, results));
        securityProblems.addAll(
            DrillKit.publicListeners(worker.pid()).stream()
                .map(a -> "worker listens on " + a)
                .toList());
        DrillKit.kill9(worker);
        killedIn.add(runIds.get(i) + "@" + step);
        worker =
            DrillKit.worker(
                temporal.address(),
                HOST,
                inventory,
                results,
                home,
                env,
                logs.resolve("w" + (i + 1) + ".log"));
      }
      securityProblems.addAll(
          DrillKit.publicListeners(temporal.pid()).stream()
              .map(a -> "server listens on " + a)
              .toList());

      CampaignWorkflow campaign =
          client.newWorkflowStub(CampaignWorkflow.class, started.workflowId());
      CampaignProgress end =
          WorkflowStub.fromTyped(campaign).getResult(8, TimeUnit.MINUTES, CampaignProgress.class);
      List<LedgerEntry> ledger = RunLedger.of(results, CAMPAIGN).read();
      int lost = DrillKit.runsLost(runIds, ledger);
      int twice = DrillKit.recordedTwice(ledger);

      // Secrets: every history (campaign and each run's child), every file the tool wrote.
      int secretHits = 0;
      List<String> where = new ArrayList<>();
      for (String id : withChildren(started.workflowId(), runIds)) {
        int n = DrillKit.occurrences(DrillKit.historyJson(client, id), secret);
        if (n > 0) {
          where.add("history of " + id);
        }
        secretHits += n;
      }
      List<Path> files = DrillKit.filesContaining(secret, List.of(results, home, logs));
      files.forEach(f -> where.add(f.toString()));
      secretHits += files.size();

      DrillKit.stop(worker);
      int left = DockerExtension.removeContainersLabelled(docker, "llem.campaign=" + CAMPAIGN);
      Figures.report(
          new Figures.Report(
              "1. kill -9 of the worker in each step ("
                  + String.join(", ", STEPS)
                  + "), each on "
                  + REPEATS
                  + " different runs",
              runIds.size(),
              lost,
              twice,
              left,
              secretHits,
              0));

      assertEquals(runIds.size(), killedIn.size());
      assertEquals(CampaignStatus.COMPLETED, end.state(), end.toString());
      List<String> keys = new ArrayList<>();
      for (LedgerEntry e : ledger) {
        keys.add(e.runId() + "#" + e.attempt() + " " + e.status());
      }
      List<String> expected = runIds.stream().map(r -> r + "#1 completed").toList();
      assertEquals(expected, keys, "ledger after kills in " + killedIn);
      assertEquals(0, lost);
      assertEquals(0, twice);
      assertEquals(0, left, "containers left");
      assertEquals(List.of(), where, "the secret's value was found");
      assertEquals(List.of(), securityProblems);
      // The run printed its token: the saved log holds the mask, proving redaction ran.
      String log =
          Files.readString(results.resolve(CAMPAIGN).resolve(runIds.get(0)).resolve("a1/log.txt"));
      assertTrue(log.contains("token="), log);
    } finally {
      worker.destroyForcibly();
      DockerExtension.removeContainersLabelled(docker, "llem.campaign=" + CAMPAIGN);
    }
  }

  private static List<String> withChildren(String campaignId, List<String> runIds) {
    List<String> ids = new ArrayList<>();
    ids.add(campaignId);
    runIds.forEach(r -> ids.add(campaignId + "/" + r));
    return ids;
  }

  private static void waitForStep(WorkflowClient client, String workflowId, String step)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      if (DrillKit.startedActivities(client, workflowId).contains(step)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(workflowId + " never ran its " + step + " step");
  }
}
