package org.llenergymeasure.campaign.worker.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * Drill 2, "host reboot": kill -9 of the worker and the Temporal server together while a run is in
 * its container, then both restarted on the same SQLite file. Once with the container left running
 * (the run re-attaches and completes at its first attempt), once with the container killed
 * meanwhile (that attempt is recorded failed, typed, without its partial result; the run is
 * measured again as attempt 2).
 */
@ExtendWith(DockerExtension.class)
class HostRebootIT {

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  @Test
  void rebootWithTheContainerStillRunning(DockerClient docker, @TempDir Path tmp) throws Exception {
    List<String> ledger = reboot(docker, tmp, "drill-reboot", false);
    assertEquals(
        List.of("one.c1#1 completed", "two.c1#1 completed", "three.c1#1 completed"), ledger);
  }

  @Test
  void rebootWithTheContainerKilledMeanwhile(DockerClient docker, @TempDir Path tmp)
      throws Exception {
    List<String> ledger = reboot(docker, tmp, "drill-reboot-ck", true);
    assertEquals(
        List.of(
            "one.c1#1 completed", "two.c1#1 failed", "two.c1#2 completed", "three.c1#1 completed"),
        ledger);
  }

  private List<String> reboot(
      DockerClient docker, Path tmp, String campaignName, boolean killContainer) throws Exception {
    String host = campaignName + "-host";
    LoadedCampaign loaded =
        CampaignLoader.parse(
            String.join(
                "\n",
                "campaign: " + campaignName,
                "defaults:",
                "  image: 'llem-probe:dev'",
                "  timeout: 2m",
                "  retries: 1",
                // A partial result first: a killed attempt must not be recorded with it.
                "  command: [sh, -c, 'printf \"{\\\"partial\\\": 1}\" > /results/result.json; sleep 6; printf \"{\\\"ok\\\": 1}\" > /results/result.json']",
                "experiments:",
                "  - {name: one, gpus: [0]}",
                "  - {name: two, gpus: [1]}",
                "  - {name: three, gpus: [2]}",
                "execution: {order: grouped}",
                ""),
            campaignName + ".yaml");
    Path results = tmp.resolve("results");
    Path home = tmp.resolve("home");
    Path inventory = DockerExtension.repoRoot().resolve("examples/inventories/sim-4gpu-idle");
    Process worker =
        DrillKit.worker(
            temporal.address(), host, inventory, results, home, Map.of(), tmp.resolve("w1.log"));
    try {
      WorkflowClient client = temporal.client();
      String workflowId =
          new CampaignStarter(client).startOrAttach(loaded, List.of(host)).workflowId();
      String runWorkflow = workflowId + "/two.c1";
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (!DrillKit.startedActivities(client, runWorkflow).contains("Await")) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("run two never reached await");
        }
        Thread.sleep(100);
      }
      Thread.sleep(1000);
      // The "reboot": both processes die at once.
      DrillKit.kill9(worker);
      temporal.kill();
      if (killContainer) {
        List<Container> running =
            docker
                .listContainersCmd()
                .withLabelFilter(List.of("llem.campaign=" + campaignName, "llem.run=two.c1"))
                .exec();
        assertEquals(1, running.size(), "run two's container while everything is down");
        docker.killContainerCmd(running.get(0).getId()).exec();
      }
      temporal.restart();
      client = temporal.client();
      worker =
          DrillKit.worker(
              temporal.address(), host, inventory, results, home, Map.of(), tmp.resolve("w2.log"));

      CampaignWorkflow campaign = client.newWorkflowStub(CampaignWorkflow.class, workflowId);
      CampaignProgress end =
          WorkflowStub.fromTyped(campaign).getResult(5, TimeUnit.MINUTES, CampaignProgress.class);
      List<LedgerEntry> entries = RunLedger.of(results, campaignName).read();
      int lost = DrillKit.runsLost(List.of("one.c1", "two.c1", "three.c1"), entries);
      int twice = DrillKit.recordedTwice(entries);
      DrillKit.stop(worker);
      int left = DockerExtension.removeContainersLabelled(docker, "llem.campaign=" + campaignName);
      Figures.report(
          new Figures.Report(
              "2. host reboot (worker + server kill -9)"
                  + (killContainer ? ", container killed meanwhile" : ""),
              1,
              lost,
              twice,
              left,
              0,
              0));

      assertEquals(CampaignStatus.COMPLETED, end.state(), end.toString());
      assertEquals(0, left, "containers left");
      List<String> keys = new ArrayList<>();
      for (LedgerEntry e : entries) {
        keys.add(e.runId() + "#" + e.attempt() + " " + e.status());
        if (e.status().equals("failed")) {
          assertNotNull(e.error(), e.toString());
          assertNotNull(e.error().type(), e.toString());
          assertNull(
              e.result(), "a failed attempt keeps no result (the partial one is discarded): " + e);
        } else {
          assertEquals(
              1, e.result().path("ok").asInt(), "the completed attempt's own full result: " + e);
        }
      }
      return keys;
    } finally {
      worker.destroyForcibly();
      DockerExtension.removeContainersLabelled(docker, "llem.campaign=" + campaignName);
    }
  }
}
