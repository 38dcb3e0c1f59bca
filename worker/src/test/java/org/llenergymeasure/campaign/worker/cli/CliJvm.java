package org.llenergymeasure.campaign.worker.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One command line in its own JVM from this test's class path, with an environment of the test's
 * own: what the in-process {@link CliRun} cannot give (TEMPORAL_* variables). Every inherited
 * {@code TEMPORAL_*} variable is removed first, so the developer's own settings never leak in.
 */
record CliJvm(int exit, String out, String err) {

  /** Both streams, for assertions on everything printed. */
  String all() {
    return out + err;
  }

  static CliJvm run(Path dir, Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The logging the shipped launcher gives (Main.main): a log file for the long commands only.
    command.add(
        "-Dlogback.configurationFile=" + (Main.runsLong(args) ? "logback.xml" : "logback-cli.xml"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("TEMPORAL_") && !k.equals("TEMPORAL_CLI"));
    pb.environment().put("LLEM_HOME", dir.resolve("llem-home").toString());
    pb.environment().putAll(env);
    Path out = Files.createTempFile(dir, "cli-", ".out");
    Path err = Files.createTempFile(dir, "cli-", ".err");
    pb.redirectOutput(out.toFile());
    pb.redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(
          "llem-campaign " + String.join(" ", args) + " did not end: " + Files.readString(err));
    }
    return new CliJvm(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
