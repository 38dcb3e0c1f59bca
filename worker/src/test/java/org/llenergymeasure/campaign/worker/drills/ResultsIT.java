package org.llenergymeasure.campaign.worker.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Bad inputs around results, through the real {@code run} command: a results folder that cannot be
 * written, a full disk (a tiny tmpfs), a 1 GB result file. Each ends with a clear error and the run
 * not recorded as completed.
 */
@ExtendWith(DockerExtension.class)
class ResultsIT {

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  record Outcome(int exit, String output) {}

  @Test
  void aResultsFolderThatIsAFileIsAClearError(DockerClient docker, @TempDir Path tmp)
      throws Exception {
    Path results = tmp.resolve("not-a-folder");
    Files.writeString(results, "x");
    Outcome o = run(tmp, "drill-unwritable", results, "printf '{}' > /results/result.json");
    int left = DockerExtension.removeContainersLabelled(docker, "llem.campaign=drill-unwritable");
    Figures.report(
        new Figures.Report("bad inputs: results folder unwritable", 1, 0, 0, left, 0, 1));
    assertTrue(o.exit() != 0, o.output());
    assertTrue(
        o.output().contains(results.toString()), "the error names the folder: " + o.output());
    assertEquals(0, left);
  }

  @Test
  void aFullDiskFailsTheRunInsteadOfRecordingIt(DockerClient docker, @TempDir Path tmp)
      throws Exception {
    Path results = tmp.resolve("tiny");
    Files.createDirectories(results);
    exec("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", results.toString());
    try {
      // Leave almost nothing free: the run's folder, log and result cannot all be written.
      exec(
          "sh", "-c", "dd if=/dev/zero of=" + results + "/filler bs=1k count=60 2>/dev/null; true");
      Outcome o =
          run(
              tmp,
              "drill-fulldisk",
              results,
              "head -c 100000 /dev/zero | tr '\\\\0' x > /results/result.json");
      List<LedgerEntry> ledger =
          Files.exists(results.resolve("drill-fulldisk/ledger.jsonl"))
              ? RunLedger.of(results, "drill-fulldisk").read()
              : List.of();
      int left = DockerExtension.removeContainersLabelled(docker, "llem.campaign=drill-fulldisk");
      Figures.report(
          new Figures.Report(
              "bad inputs: full disk (64 KiB tmpfs)",
              1,
              0,
              DrillKit.recordedTwice(ledger),
              left,
              0,
              1));
      assertEquals(1, o.exit(), o.output());
      assertTrue(o.output().contains("ResultsUnwritable"), "the failure is typed: " + o.output());
      assertTrue(ledger.stream().noneMatch(e -> e.status().equals("completed")), ledger.toString());
      assertEquals(0, left);
    } finally {
      exec("umount", "-l", results.toString());
    }
  }

  @Test
  void aOneGigabyteResultFileIsResultInvalid(DockerClient docker, @TempDir Path tmp)
      throws Exception {
    Path results = tmp.resolve("results");
    long started = System.nanoTime();
    Outcome o = run(tmp, "drill-hugeresult", results, "truncate -s 1G /results/result.json");
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    List<LedgerEntry> ledger = RunLedger.of(results, "drill-hugeresult").read();
    int left = DockerExtension.removeContainersLabelled(docker, "llem.campaign=drill-hugeresult");
    Figures.report(
        new Figures.Report(
            "bad inputs: 1 GB result file",
            1,
            DrillKit.runsLost(List.of("big.c1"), ledger),
            DrillKit.recordedTwice(ledger),
            left,
            0,
            1));
    assertEquals(1, o.exit(), o.output());
    assertEquals(1, ledger.size(), ledger.toString());
    assertEquals("failed", ledger.get(0).status());
    assertEquals("ResultInvalid", ledger.get(0).error().type(), ledger.toString());
    assertTrue(seconds < 120, "bounded read: took " + seconds + " s");
    assertEquals(0, left);
  }

  private Outcome run(Path tmp, String campaign, Path results, String script) throws Exception {
    Path file = tmp.resolve(campaign + ".yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "campaign: " + campaign,
            "experiments:",
            "  - name: big",
            "    image: 'llem-probe:dev'",
            "    timeout: 1m",
            "    gpus: [0]",
            "    command: [sh, -c, \"" + script.replace("\"", "\\\"") + "\"]",
            ""),
        StandardCharsets.UTF_8);
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
                DockerExtension.repoRoot().resolve("examples/inventories/sim-4gpu-idle").toString(),
                "--host-id",
                campaign + "-host")
            .redirectErrorStream(true);
    pb.environment().put("LLEM_HOME", tmp.resolve("home").toString());
    Path log = tmp.resolve(campaign + ".log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("run did not end: " + Files.readString(log));
    }
    return new Outcome(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  private static void exec(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed: " + out);
    }
  }
}
