package org.llenergymeasure.campaign.worker.ui;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;

/**
 * A Node script of {@code worker/src/test/ui/} (playwright-core + Debian's Chromium), run as a
 * child process; its stdout is one JSON object of what it saw.
 */
final class NodeScript {

  /** What a script printed and how it ended. */
  record Outcome(int exitCode, JsonNode json, String stdout, String stderr) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private NodeScript() {}

  static Path folder() {
    return DockerExtension.repoRoot().resolve("worker/src/test/ui");
  }

  /** Fails the test, saying how to fix it, when node, npm ci or chromium is missing. */
  static void requireTools() {
    if (!Files.isDirectory(folder().resolve("node_modules/playwright-core"))) {
      fail("playwright-core is not installed: run `npm ci` in " + folder() + " (.ci/run does)");
    }
    String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
    if (!Files.isExecutable(Path.of(chromium))) {
      fail(
          "no Chromium at "
              + chromium
              + ": `apt-get install -y chromium` (.ci/run does), or set CHROMIUM");
    }
  }

  static Outcome run(Duration timeout, String script, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("node", script));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("llem-node-", ".out");
    Path err = Files.createTempFile("llem-node-", ".err");
    Process p;
    try {
      p =
          new ProcessBuilder(cmd)
              .directory(folder().toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
    } catch (IOException e) {
      throw new IOException(
          "cannot start `node` (install Node.js 20 or newer): " + e.getMessage(), e);
    }
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      fail(
          script
              + " did not finish within "
              + timeout.toSeconds()
              + " s; stderr:\n"
              + Files.readString(err));
    }
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    JsonNode json = null;
    String last = stdout.strip();
    int nl = last.lastIndexOf('\n');
    if (!last.isEmpty()) {
      try {
        json = JSON.readTree(nl < 0 ? last : last.substring(nl + 1));
      } catch (IOException e) {
        json = null;
      }
    }
    return new Outcome(p.exitValue(), json, stdout, stderr);
  }
}
