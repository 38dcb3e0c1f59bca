package org.llenergymeasure.campaign.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.worker.server.DevServerProcess;

/**
 * {@code bin/llem-campaign run} on its in-process server (no {@code temporal} CLI), stopped while a
 * process-mode run is in progress (SIGTERM here: it runs the same shutdown as Ctrl-C's SIGINT,
 * which a JVM started from a background job ignores): that server's state dies with the command, so
 * nothing could adopt the run later. The command stops the run's processes (the shell and the child
 * it started) and names the run; none is left using the GPU.
 */
class RunInterruptIT {

  private final Path repo = DockerExtension.repoRoot();

  @Test
  void stoppingRunOnTheInProcessServerStopsTheRunsInProgressAndNamesThem(@TempDir Path tmp)
      throws Exception {
    assertFalse(
        DevServerProcess.isListening(7233),
        "something already listens on 127.0.0.1:7233; stop it first");
    Path inventory = repo.resolve("examples/inventories/sim-4gpu-idle");
    Path sim = repo.resolve("images/llem-probe/rootfs/usr/lib/llem-sim");
    Path campaign = tmp.resolve("interrupted.yaml");
    Files.writeString(
        campaign,
        String.join(
            "\n",
            "campaign: interrupted",
            "attach: process",
            "defaults: {image: 'unused-in-process-mode:1', timeout: 10m, silenceTimeout: 5m}",
            "experiments:",
            "  - name: long",
            "    gpus: [1]",
            "    command: [sh, -c, 'sleep 600 & echo $! > \"$LLEM_RESULTS_DIR/child\"; wait']",
            ""));
    Path results = tmp.resolve("results");
    List<String> command =
        new ArrayList<>(
            List.of(
                repo.resolve("bin/llem-campaign").toString(),
                "run",
                campaign.toString(),
                "--inventory",
                inventory.toString(),
                "--results",
                results.toString()));
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true);
    pb.environment().remove("TEMPORAL_ADDRESS");
    pb.environment().put("LLEM_HOME", tmp.resolve("home").toString());
    pb.environment().put("PATH", CliProcess.pathWithoutTemporal());
    pb.environment().put("TEMPORAL_CLI", "");
    pb.environment().put("LLEM_PROGRESS", "plain");
    pb.environment()
        .put(
            "LLEM_CUDA_VIEW",
            "env NVIDIA_VISIBLE_DEVICES=all LLEM_SIM_INVENTORY="
                + inventory
                + " awk -f "
                + sim.resolve("resolve.awk")
                + " -f "
                + sim.resolve("cuda-view.awk")
                + " --");
    Path log = tmp.resolve("run.log");
    pb.redirectOutput(log.toFile());
    Process run = pb.start();
    Path childFile = results.resolve("interrupted/long.c1/a1/out/child");
    try {
      Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
      while (!Files.isRegularFile(childFile) || Files.size(childFile) == 0) {
        assertTrue(run.isAlive(), "run ended before its run started: " + read(log));
        assertTrue(Instant.now().isBefore(deadline), "the run never started: " + read(log));
        Thread.sleep(200);
      }
      long child = Long.parseLong(Files.readString(childFile).strip());
      assertTrue(ProcessHandle.of(child).isPresent(), "the run's child runs before Ctrl-C");

      new ProcessBuilder("kill", "-TERM", Long.toString(run.pid())).inheritIO().start().waitFor();
      assertTrue(run.waitFor(60, TimeUnit.SECONDS), "run did not end on SIGTERM: " + read(log));

      String out = read(log);
      assertFalse(
          ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false),
          "the run's child still runs after run ended:\n" + out);
      assertTrue(
          out.contains("Stopped the process(es) of 1 run(s) in progress")
              && out.contains("long.c1/a1"),
          out);
    } finally {
      run.descendants().forEach(ProcessHandle::destroyForcibly);
      run.destroyForcibly();
      if (Files.isRegularFile(childFile)) {
        String pid = Files.readString(childFile).strip();
        if (!pid.isEmpty()) {
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    }
  }

  private static String read(Path log) throws java.io.IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }
}
