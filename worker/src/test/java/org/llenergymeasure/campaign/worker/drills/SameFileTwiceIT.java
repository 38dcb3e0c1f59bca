package org.llenergymeasure.campaign.worker.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.dockerjava.api.DockerClient;
import io.temporal.client.WorkflowClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.ledger.RunLedger;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;

/**
 * Drill 7: the same {@code run FILE} started twice at once, as two real CLI processes (two
 * terminals): one campaign workflow, not two; both commands follow it to its end; every run is
 * recorded once; no container is left.
 */
@ExtendWith(DockerExtension.class)
class SameFileTwiceIT {

  private static final String CAMPAIGN = "drill-twice";

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  @Test
  void twoRunsOfOneFileAtOnceMakeOneCampaign(DockerClient docker, @TempDir Path tmp)
      throws Exception {
    Path file = tmp.resolve("twice.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "campaign: " + CAMPAIGN,
            "defaults:",
            "  image: 'llem-probe:dev'",
            "  timeout: 2m",
            "  command: [sh, -c, 'sleep 1; printf \"{\\\"ok\\\": 1}\" > /results/result.json']",
            "experiments:",
            "  - {name: one, gpus: [0]}",
            "  - {name: two, gpus: [1]}",
            "  - {name: three, gpus: [2]}",
            ""),
        StandardCharsets.UTF_8);
    Path results = tmp.resolve("results");
    Path inventory = DockerExtension.repoRoot().resolve("examples/inventories/sim-4gpu-idle");
    List<Process> runs = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb =
            new ProcessBuilder(
                    java.toString(),
                    "-jar",
                    DrillKit.jar().toString(),
                    "run",
                    file.toString(),
                    "--temporal",
                    temporal.address(),
                    "--results",
                    results.toString(),
                    "--inventory",
                    inventory.toString(),
                    "--host-id",
                    "drill-twice-host")
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("run" + i + ".log").toFile());
        pb.environment().put("LLEM_HOME", tmp.resolve("home").toString());
        runs.add(pb.start());
      }
      List<Integer> exits = new ArrayList<>();
      for (Process p : runs) {
        if (!p.waitFor(4, TimeUnit.MINUTES)) {
          throw new AssertionError(
              "`run` did not end: " + Files.readString(tmp.resolve("run0.log")));
        }
        exits.add(p.exitValue());
      }
      WorkflowClient client = temporal.client();
      long campaigns = client.listExecutions("WorkflowId = 'campaign/" + CAMPAIGN + "'").count();
      List<LedgerEntry> ledger = RunLedger.of(results, CAMPAIGN).read();
      List<String> planned = List.of("one.c1", "two.c1", "three.c1");
      int lost = DrillKit.runsLost(planned, ledger);
      int twice = DrillKit.recordedTwice(ledger) + Math.max(0, ledger.size() - planned.size());
      int left = DockerExtension.removeContainersLabelled(docker, "llem.campaign=" + CAMPAIGN);
      Figures.report(
          new Figures.Report("7. the same `run FILE` twice at once", 1, lost, twice, left, 0, 0));

      String logs =
          Files.readString(tmp.resolve("run0.log"))
              + "\n---\n"
              + Files.readString(tmp.resolve("run1.log"));
      assertEquals(List.of(0, 0), exits, logs);
      assertEquals(1, campaigns, "campaign workflows for one file");
      assertEquals(0, lost);
      assertEquals(0, twice, ledger.toString());
      assertEquals(planned.size(), ledger.size());
      assertEquals(0, left);
    } finally {
      runs.forEach(Process::destroyForcibly);
      DockerExtension.removeContainersLabelled(docker, "llem.campaign=" + CAMPAIGN);
    }
  }
}
