package org.llenergymeasure.campaign.worker.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.ledger.RunLedger;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.worker.campaign.CampaignStarter;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.CampaignStatus;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflow;

/**
 * Drill 4: runs that go wrong on their own, on one real worker process: a hung container (no
 * output), a container that never exits, an experiment that fails every attempt, the circuit
 * breaker opening, failFast stopping a campaign. Every failure is typed, every attempt recorded
 * once, no container left.
 */
@ExtendWith(DockerExtension.class)
class FailuresIT {

  private static final String HOST = "drill-fail-host";

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  @TempDir static Path tmp;
  private static Process worker;

  @BeforeAll
  static void startWorker() throws Exception {
    worker =
        DrillKit.worker(
            temporal.address(),
            HOST,
            DockerExtension.repoRoot().resolve("examples/inventories/sim-4gpu-idle"),
            tmp.resolve("results"),
            tmp.resolve("home"),
            Map.of(),
            tmp.resolve("worker.log"));
  }

  @AfterAll
  static void stopWorker() throws Exception {
    DrillKit.stop(worker);
  }

  @Test
  void hungEndlessAndAlwaysFailingRunsFailTyped(DockerClient docker) throws Exception {
    String name = "drill-failures";
    CampaignProgress end =
        runToEnd(
            name,
            String.join(
                "\n",
                "campaign: " + name,
                "defaults: {image: 'llem-probe:dev', timeout: 1m}",
                "experiments:",
                "  - {name: hung, gpus: [0], silenceTimeout: 3s, command: [sh, -c, 'sleep 60']}",
                "  - {name: endless, gpus: [1], timeout: 6s, command: [sh, -c, 'while true; do echo tick; sleep 1; done']}",
                "  - {name: always-fails, gpus: [2], retries: 1, command: [sh, -c, 'echo broken; exit 3']}",
                "execution: {concurrency: 3, maxConsecutiveFailures: 10}",
                ""));
    Map<String, String> byAttempt = ledger(name);
    int left = DockerExtension.removeContainersLabelled(docker, "llem.campaign=" + name);
    report(
        "4. hung container, endless container, failing every attempt",
        name,
        List.of("hung.c1", "endless.c1", "always-fails.c1"),
        left);

    assertEquals(CampaignStatus.COMPLETED, end.state(), end.toString());
    assertEquals(3, end.failed(), end.toString());
    assertEquals(
        Map.of(
            "hung.c1#1", "SilenceTimeout",
            "endless.c1#1", "WallClockTimeout",
            "always-fails.c1#1", "ExitNonZero",
            "always-fails.c1#2", "ExitNonZero"),
        byAttempt);
    assertEquals(0, left);
  }

  @Test
  void theCircuitBreakerPausesTheCampaign(DockerClient docker) throws Exception {
    String name = "drill-breaker";
    WorkflowClient client = temporal.client();
    String id =
        new CampaignStarter(client)
            .startOrAttach(
                CampaignLoader.parse(
                    String.join(
                        "\n",
                        "campaign: " + name,
                        "defaults: {image: 'llem-probe:dev', timeout: 1m, gpus: [3], command: [sh, -c, 'exit 1']}",
                        "experiments: [{name: f1}, {name: f2}, {name: f3}, {name: f4}]",
                        "execution: {maxConsecutiveFailures: 2, order: grouped}",
                        ""),
                    name + ".yaml"),
                List.of(HOST))
            .workflowId();
    CampaignWorkflow campaign = client.newWorkflowStub(CampaignWorkflow.class, id);
    CampaignProgress p = null;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      p = campaign.progress();
      if (p.state() == CampaignStatus.PAUSED && p.running().isEmpty()) {
        break;
      }
      Thread.sleep(200);
    }
    Thread.sleep(2000); // a breaker that did not hold would start f3 now
    p = campaign.progress();
    WorkflowStub.fromTyped(campaign).cancel();
    Map<String, String> byAttempt = ledger(name);
    int left = DockerExtension.removeContainersLabelled(docker, "llem.campaign=" + name);
    report("4. circuit breaker (2 consecutive failures)", name, List.of("f1.c1", "f2.c1"), left);

    assertEquals(CampaignStatus.PAUSED, p.state(), p.toString());
    assertTrue(p.reason() != null && !p.reason().isBlank(), "a paused campaign says why: " + p);
    assertEquals(Map.of("f1.c1#1", "ExitNonZero", "f2.c1#1", "ExitNonZero"), byAttempt);
    assertEquals(0, left);
  }

  @Test
  void failFastStopsTheCampaignAtTheFirstFailure(DockerClient docker) throws Exception {
    String name = "drill-failfast";
    CampaignProgress end =
        runToEnd(
            name,
            String.join(
                "\n",
                "campaign: " + name,
                "defaults: {image: 'llem-probe:dev', timeout: 1m, gpus: [3]}",
                "experiments:",
                "  - {name: bad, command: [sh, -c, 'exit 2']}",
                "  - {name: never, command: [sh, -c, 'printf \"{}\" > /results/result.json']}",
                "execution: {failFast: true, order: grouped}",
                ""));
    Map<String, String> byAttempt = ledger(name);
    int left = DockerExtension.removeContainersLabelled(docker, "llem.campaign=" + name);
    report("4. failFast", name, List.of("bad.c1"), left);

    assertEquals(CampaignStatus.FAILED, end.state(), end.toString());
    assertEquals(Map.of("bad.c1#1", "ExitNonZero"), byAttempt);
    assertEquals(0, left);
  }

  private static CampaignProgress runToEnd(String name, String yaml) throws Exception {
    WorkflowClient client = temporal.client();
    String id =
        new CampaignStarter(client)
            .startOrAttach(CampaignLoader.parse(yaml, name + ".yaml"), List.of(HOST))
            .workflowId();
    return WorkflowStub.fromTyped(client.newWorkflowStub(CampaignWorkflow.class, id))
        .getResult(4, TimeUnit.MINUTES, CampaignProgress.class);
  }

  /** run#attempt -> failure type ("completed" when it completed). */
  private static Map<String, String> ledger(String name) {
    Map<String, String> out = new TreeMap<>();
    for (LedgerEntry e : RunLedger.of(tmp.resolve("results"), name).read()) {
      String value =
          e.status().equals("completed")
              ? "completed"
              : e.error() == null ? "untyped" : e.error().type();
      if (out.put(e.runId() + "#" + e.attempt(), value) != null) {
        out.put(e.runId() + "#" + e.attempt(), "RECORDED TWICE");
      }
    }
    return out;
  }

  private static void report(String drill, String name, List<String> expectedRuns, int left) {
    List<LedgerEntry> entries = RunLedger.of(tmp.resolve("results"), name).read();
    List<String> ids = new ArrayList<>(expectedRuns);
    Figures.report(
        new Figures.Report(
            drill,
            1,
            DrillKit.runsLost(ids, entries),
            DrillKit.recordedTwice(entries),
            left,
            0,
            0));
  }
}
