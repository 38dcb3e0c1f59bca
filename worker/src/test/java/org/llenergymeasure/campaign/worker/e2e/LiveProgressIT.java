package org.llenergymeasure.campaign.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;

/**
 * {@code run} in a terminal (a pseudo-terminal from util-linux {@code script}) redraws a progress
 * block; piped, it prints plain lines. Through the packaged jar, on a real server and Docker.
 */
@Tag("docker")
@Tag("temporal")
@ExtendWith(DockerExtension.class)
class LiveProgressIT {

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  private final Path repo = DockerExtension.repoRoot();

  private Path campaign(Path tmp, String name) throws Exception {
    Path file = tmp.resolve(name + ".yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "campaign: " + name,
            "defaults: {image: 'llem-probe:dev', timeout: 2m}",
            "experiments:",
            "  - name: a",
            "    gpus: [0]",
            "    command: [sh, -c, 'echo working; sleep 3; echo {} > /results/result.json']",
            "  - name: b",
            "    gpus: [1]",
            "    command: [sh, -c, 'echo {} > /results/result.json']",
            ""));
    return file;
  }

  @Test
  void inAPseudoTerminalRunRedrawsABarAndEndsWithTheSummary(DockerClient docker, @TempDir Path tmp)
      throws Exception {
    Path file = campaign(tmp, "live-tty");
    String command =
        String.join(
            " ",
            List.of(
                repo.resolve("bin/llem-campaign").toString(),
                "run",
                file.toString(),
                "--inventory",
                repo.resolve("examples/inventories/sim-4gpu-idle").toString(),
                "--temporal",
                temporal.address(),
                "--results",
                tmp.resolve("results").toString()));
    ProcessBuilder pb =
        new ProcessBuilder("script", "-qfec", command, "/dev/null")
            .directory(repo.toFile())
            .redirectErrorStream(true);
    pb.environment().put("LLEM_HOME", tmp.resolve("home").toString());
    pb.environment().put("COLUMNS", "150");
    pb.environment().put("TERM", "xterm");
    pb.environment().remove("LLEM_PROGRESS");
    Path log = tmp.resolve("tty.log");
    pb.redirectOutput(log.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    assertTrue(p.waitFor(4, TimeUnit.MINUTES), "run ended");
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("\033[J"), "the block is erased and redrawn:\n" + out);
    assertTrue(out.contains("live-tty running ["), out);
    assertTrue(
        out.contains("[" + "#".repeat(30) + "] 2/2 done: 2 completed, 0 failed, 0 skipped"),
        "a full bar at the end:\n" + out);
    assertTrue(out.contains("  > a.c1"), "the running run is shown:\n" + out);
    assertTrue(
        out.contains("2 completed, 0 failed, 0 skipped of 2 runs."), "the final summary:\n" + out);
    assertEquals(0, DockerExtension.removeContainersLabelled(docker, "llem.campaign=live-tty"));
  }

  @Test
  void pipedRunPrintsPlainLines(DockerClient docker, @TempDir Path tmp) throws Exception {
    Path file = campaign(tmp, "live-plain");
    CliProcess.Result r =
        CliProcess.run(
            repo,
            Map.of("LLEM_HOME", tmp.resolve("home").toString()),
            Duration.ofMinutes(4),
            "run",
            file.toString(),
            "--inventory",
            "examples/inventories/sim-4gpu-idle",
            "--temporal",
            temporal.address(),
            "--results",
            tmp.resolve("results").toString());
    assertEquals(0, r.exitCode(), r.output());
    assertFalse(r.output().contains("\033["), "no cursor movement when piped:\n" + r.output());
    assertTrue(r.output().contains("2 completed, 0 failed, 0 skipped of 2 runs."), r.output());
    assertTrue(
        Files.readString(tmp.resolve("home/logs/llem-campaign.log"))
            .contains("run live-plain/a.c1 a1 cleaned up"),
        "run logs its transitions under LLEM_HOME/logs");
    assertEquals(0, DockerExtension.removeContainersLabelled(docker, "llem.campaign=live-plain"));
  }
}
