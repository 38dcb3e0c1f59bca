package org.llenergymeasure.campaign.worker.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Runs {@code bin/llem-campaign} as a real process, the way a user does. */
final class CliProcess {

  record Result(int exitCode, String output) {}

  private CliProcess() {}

  /**
   * This PATH without the folders that hold a {@code temporal} CLI: {@code run} then falls back to
   * its in-process server.
   */
  static String pathWithoutTemporal() {
    return Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
        .filter(dir -> !Files.isExecutable(Path.of(dir, "temporal")))
        .collect(Collectors.joining(File.pathSeparator));
  }

  static Result run(Path repo, Map<String, String> env, Duration timeout, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(repo.resolve("bin/llem-campaign").toString());
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true);
    pb.environment().remove("TEMPORAL_ADDRESS");
    pb.environment().putAll(env);
    Path log = Files.createTempFile("llem-cli-", ".log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(
          "llem-campaign "
              + String.join(" ", args)
              + " did not end within "
              + timeout
              + ":\n"
              + Files.readString(log, StandardCharsets.UTF_8));
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
