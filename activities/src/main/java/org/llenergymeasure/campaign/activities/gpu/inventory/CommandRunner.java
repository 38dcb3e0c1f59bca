package org.llenergymeasure.campaign.activities.gpu.inventory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short command with a deadline. Output goes to temporary files rather than pipes so that a
 * chatty command can never block on a full pipe while we wait for it.
 */
public final class CommandRunner {

  /** What a finished command printed and returned. */
  public record Result(int exitCode, String stdout, String stderr) {}

  /** The command did not finish in time and was killed. */
  public static final class TimedOut extends Exception {
    public TimedOut(String message) {
      super(message);
    }
  }

  private CommandRunner() {}

  /**
   * Runs {@code command} and returns its exit code and output.
   *
   * @throws IOException when the command cannot be started (e.g. not on PATH)
   * @throws TimedOut when it ran past {@code timeout} (it is killed)
   */
  public static Result run(List<String> command, Duration timeout)
      throws IOException, TimedOut, InterruptedException {
    Path out = Files.createTempFile("llem-cmd", ".out");
    Path err = Files.createTempFile("llem-cmd", ".err");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new TimedOut(
            String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s");
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
