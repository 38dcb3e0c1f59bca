package org.llenergymeasure.campaign.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.worker.server.DevServerProcess;
import org.llenergymeasure.campaign.workflows.LlemSearchAttributes;
import org.slf4j.LoggerFactory;

/**
 * What a campaign too large for Temporal's payloads gets: {@code validate} and {@code run} refuse
 * it before anything starts, naming the size and the limit; a server whose own limit is lower
 * refuses the start, and {@code run --detach} says so as bad input (exit 2), not as an unreachable
 * server (exit 3).
 */
class CampaignSizeCommandTest {

  static {
    // Logging starts before any output is captured (its first start may print to stdout).
    LoggerFactory.getLogger(CampaignSizeCommandTest.class);
  }

  /** 1,000 experiments, each with its own 2,500-character command word: about 2 MB packed. */
  @Test
  void validateAndRunRefuseACampaignWhoseCompactFormIsOverTheLimit(@TempDir Path tmp)
      throws IOException {
    Path file = tmp.resolve("too-large.yaml");
    Files.writeString(file, perExperimentWords(1000, 2500));

    CliRun validate = CliRun.of("validate", file.toString());
    CliRun run = CliRun.of("run", file.toString(), "--detach", "--temporal", "127.0.0.1:1");

    for (CliRun r : List.of(validate, run)) {
      assertEquals(2, r.exit(), r.err());
      assertTrue(
          r.err().contains(file + ":1:1: $: the campaign is too large to start")
              && r.err().contains("over the limit of 1,500,000 bytes"),
          r.err());
      assertTrue(!r.err().contains("unreachable") && !r.err().contains("Exception"), r.err());
    }
  }

  @Test
  void validateJsonTellsTheInputSize(@TempDir Path tmp) throws IOException {
    Path file = tmp.resolve("fits.yaml");
    Files.writeString(file, perExperimentWords(10, 20));

    CliRun validate = CliRun.of("validate", file.toString(), "--json");

    assertEquals(0, validate.exit(), validate.err());
    long bytes = validate.json().get("inputBytes").asLong();
    assertTrue(bytes > 100 && bytes < 10_000, "inputBytes " + bytes);
  }

  /**
   * A dev server that takes at most 100 kB in one payload, and a campaign of about 160 kB packed
   * (under this tool's limit): the server refuses the start with INVALID_ARGUMENT.
   */
  @Tag("temporal")
  @Test
  void aServerThatRefusesTheStartForItsSizeIsBadInputWithTheSizes(@TempDir Path tmp)
      throws Exception {
    Path file = tmp.resolve("server-limit.yaml");
    Files.writeString(file, perExperimentWords(200, 1000).replace("too-large", "server-limit"));
    int port = freePort();
    Process server = startServer(tmp, port, 100_000);
    try {
      CliRun run =
          CliRun.of(
              "run", file.toString(), "--detach", "--temporal", "127.0.0.1:" + port, "--json");

      var error = run.assertJsonError(2, "BadInput", false);
      String message = error.get("message").asText();
      assertTrue(
          message.startsWith(
              "the Temporal server refused to start campaign server-limit as too"
                  + " large (INVALID_ARGUMENT: "),
          message);
      assertTrue(message.contains("its compact form is "), message);
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  /** {@code n} experiments, each with its own command word of {@code length} random letters. */
  static String perExperimentWords(int n, int length) {
    StringBuilder y =
        new StringBuilder("campaign: too-large\ndefaults: {image: \"img:1\", gpus: [0]}\n");
    y.append("experiments:\n");
    long x = 99;
    for (int e = 0; e < n; e++) {
      StringBuilder word = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        x = x * 6364136223846793005L + 1442695040888963407L;
        word.append((char) ('a' + (int) ((x >>> 33) % 26)));
      }
      y.append("  - {name: e").append(e).append(", command: [run, ").append(word).append("]}\n");
    }
    return y.toString();
  }

  private static Process startServer(Path dir, int port, int blobLimit) throws Exception {
    Path binary =
        DevServerProcess.findBinary()
            .orElseThrow(() -> new AssertionError("the `temporal` CLI is not installed"));
    List<String> cmd =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "server",
                "start-dev",
                "--db-filename",
                dir.resolve("temporal.db").toString(),
                "--ip",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--headless",
                "--log-level",
                "error",
                "--dynamic-config-value",
                "limit.blobSize.error=" + blobLimit,
                "--dynamic-config-value",
                "limit.blobSize.warn=" + blobLimit / 2));
    for (Map.Entry<String, String> sa : LlemSearchAttributes.definitions().entrySet()) {
      cmd.add("--search-attribute");
      cmd.add(sa.getKey() + "=" + sa.getValue());
    }
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("server.log").toFile())
            .start();
    for (int i = 0; i < 600 && !DevServerProcess.isListening(port); i++) {
      Thread.sleep(100);
    }
    assertTrue(DevServerProcess.isListening(port), "the dev server listens on " + port);
    Thread.sleep(1000);
    return p;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
