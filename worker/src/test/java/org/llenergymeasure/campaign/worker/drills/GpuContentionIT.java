package org.llenergymeasure.campaign.worker.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * Drills 5 and 6: a GPU another process uses makes a run wait until the (simulated) inventory frees
 * it; two campaigns on one host asking for the same GPU never use it at the same time.
 */
@ExtendWith(DockerExtension.class)
class GpuContentionIT {

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  private static final String RESULT =
      "  command: [sh, -c, 'sleep 2; printf \"{\\\"ok\\\": 1}\" > /results/result.json']";

  /**
   * The container's own start and end (host uptime, 10 ms steps: containers share the kernel's
   * clock).
   */
  private static final String TIMED =
      "  command: [sh, -c, 's=$(cut -d\" \" -f1 /proc/uptime); sleep 2; e=$(cut -d\" \" -f1 /proc/uptime);"
          + " printf \"{\\\"start\\\": %s, \\\"end\\\": %s}\" $s $e > /results/result.json']";

  @Test
  void aBusyGpuMakesTheRunWaitUntilItIsFree(DockerClient docker, @TempDir Path tmp)
      throws Exception {
    String name = "drill-busy";
    Path inventory = tmp.resolve("inventory");
    Files.createDirectories(inventory);
    Path captured = DockerExtension.repoRoot().resolve("examples/inventories/h100x4");
    try (Stream<Path> files = Files.list(captured)) {
      for (Path f : files.toList()) {
        Files.copy(f, inventory.resolve(f.getFileName()));
      }
    }
    assertTrue(
        Files.size(inventory.resolve("compute-apps.csv")) > 0,
        "the captured host has a process on GPU 0");
    Path results = tmp.resolve("results");
    Process worker =
        DrillKit.worker(
            temporal.address(),
            "drill-busy-host",
            inventory,
            results,
            tmp.resolve("home"),
            Map.of(),
            tmp.resolve("w.log"));
    try {
      WorkflowClient client = temporal.client();
      String id =
          new CampaignStarter(client)
              .startOrAttach(
                  CampaignLoader.parse(
                      "campaign: "
                          + name
                          + "\ndefaults:\n  image: 'llem-probe:dev'\n  timeout: 1m\n  busy: wait\n"
                          + RESULT
                          + "\nexperiments:\n  - {name: on-busy-gpu, gpus: [0]}\n",
                      name + ".yaml"),
                  List.of("drill-busy-host"))
              .workflowId();
      Thread.sleep(8000);
      int containersWhileBusy =
          docker
              .listContainersCmd()
              .withShowAll(true)
              .withLabelFilter(List.of("llem.campaign=" + name))
              .exec()
              .size();
      List<LedgerEntry> whileBusy = RunLedger.of(results, name).read();
      Instant freed = Instant.now();
      Files.writeString(inventory.resolve("compute-apps.csv"), ""); // the other process ended
      CampaignProgress end =
          WorkflowStub.fromTyped(client.newWorkflowStub(CampaignWorkflow.class, id))
              .getResult(3, TimeUnit.MINUTES, CampaignProgress.class);
      List<LedgerEntry> ledger = RunLedger.of(results, name).read();
      DrillKit.stop(worker);
      int left = DockerExtension.removeContainersLabelled(docker, "llem.campaign=" + name);
      Figures.report(
          new Figures.Report(
              "5. GPU busy, then freed",
              1,
              DrillKit.runsLost(List.of("on-busy-gpu.c1"), ledger),
              DrillKit.recordedTwice(ledger),
              left,
              0,
              0));

      assertEquals(0, containersWhileBusy, "a run started on a GPU another process uses");
      assertEquals(List.of(), whileBusy);
      assertEquals(CampaignStatus.COMPLETED, end.state(), end.toString());
      assertEquals(1, ledger.size(), ledger.toString());
      assertEquals("completed", ledger.get(0).status());
      assertEquals(1, ledger.get(0).attempt(), "waiting for a GPU is not a failed attempt");
      assertTrue(Instant.parse(ledger.get(0).finishedAt()).isAfter(freed), ledger.toString());
      assertEquals(0, left);
    } finally {
      worker.destroyForcibly();
      DockerExtension.removeContainersLabelled(docker, "llem.campaign=" + name);
    }
  }

  @Test
  void twoCampaignsNeverShareAGpu(DockerClient docker, @TempDir Path tmp) throws Exception {
    Path results = tmp.resolve("results");
    String host = "drill-share-host";
    Process worker =
        DrillKit.worker(
            temporal.address(),
            host,
            DockerExtension.repoRoot().resolve("examples/inventories/sim-4gpu-idle"),
            results,
            tmp.resolve("home"),
            Map.of(),
            tmp.resolve("w.log"));
    List<String> names = List.of("drill-share-a", "drill-share-b");
    try {
      WorkflowClient client = temporal.client();
      List<String> ids = new ArrayList<>();
      for (String name : names) {
        ids.add(
            new CampaignStarter(client)
                .startOrAttach(
                    CampaignLoader.parse(
                        "campaign: "
                            + name
                            + "\ndefaults:\n  image: 'llem-probe:dev'\n  timeout: 1m\n"
                            + TIMED
                            + "\nexperiments:\n  - {name: x, gpus: [0]}\n  - {name: y, gpus: [0]}\n",
                        name + ".yaml"),
                    List.of(host))
                .workflowId());
      }
      List<long[]> intervals = new ArrayList<>();
      int lost = 0;
      int twice = 0;
      for (int i = 0; i < names.size(); i++) {
        CampaignProgress end =
            WorkflowStub.fromTyped(client.newWorkflowStub(CampaignWorkflow.class, ids.get(i)))
                .getResult(4, TimeUnit.MINUTES, CampaignProgress.class);
        assertEquals(CampaignStatus.COMPLETED, end.state(), end.toString());
        List<LedgerEntry> ledger = RunLedger.of(results, names.get(i)).read();
        lost += DrillKit.runsLost(List.of("x.c1", "y.c1"), ledger);
        twice += DrillKit.recordedTwice(ledger);
        for (LedgerEntry e : ledger) {
          // When the command itself ran (the ledger's times include waiting for the GPU).
          intervals.add(
              new long[] {
                Math.round(e.result().get("start").asDouble() * 1000),
                Math.round(e.result().get("end").asDouble() * 1000)
              });
        }
      }
      DrillKit.stop(worker);
      int left = 0;
      for (String name : names) {
        left += DockerExtension.removeContainersLabelled(docker, "llem.campaign=" + name);
      }
      Figures.report(new Figures.Report("6. two campaigns, one GPU", 1, lost, twice, left, 0, 0));

      assertEquals(4, intervals.size());
      intervals.sort((a, b) -> Long.compare(a[0], b[0]));
      for (int i = 1; i < intervals.size(); i++) {
        assertTrue(
            intervals.get(i)[0] >= intervals.get(i - 1)[1],
            "two runs on GPU 0 overlapped: "
                + intervals.get(i - 1)[0]
                + ".."
                + intervals.get(i - 1)[1]
                + " and "
                + intervals.get(i)[0]
                + ".."
                + intervals.get(i)[1]);
      }
      assertEquals(0, lost);
      assertEquals(0, twice);
      assertEquals(0, left);
    } finally {
      worker.destroyForcibly();
      for (String name : names) {
        DockerExtension.removeContainersLabelled(docker, "llem.campaign=" + name);
      }
    }
  }
}
