package org.llenergymeasure.campaign.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** One in-process command line: its exit code and what it printed on stdout and stderr. */
record CliRun(int exit, String out, String err) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Runs {@code Main.execute(args)} with System.out/err captured (and restored afterwards). */
  static synchronized CliRun of(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      exit = Main.execute(args);
    } finally {
      System.out.flush();
      System.err.flush();
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    return new CliRun(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  JsonNode json() {
    try {
      return JSON.readTree(out);
    } catch (Exception e) {
      throw new AssertionError("stdout is not JSON: " + out + "\nstderr: " + err, e);
    }
  }

  /** The non-blank stderr lines. */
  List<String> errLines() {
    return err.lines().filter(l -> !l.isBlank()).toList();
  }

  /**
   * cli-contract.md's error shape: the exit code, one readable line on stderr, and with --json
   * {"error": {type, message, retryable}} on stdout whose message is that line's.
   *
   * @return the error object
   */
  JsonNode assertJsonError(int expectedExit, String expectedType, boolean expectedRetryable) {
    assertEquals(expectedExit, exit, "exit code; stderr: " + err);
    List<String> lines = errLines().stream().filter(l -> l.startsWith("error: ")).toList();
    assertEquals(1, lines.size(), "one error line on stderr: " + err);
    JsonNode error = json().get("error");
    assertTrue(error != null && error.isObject(), "an error object on stdout: " + out);
    assertEquals(expectedType, error.get("type").asText(), error.toString());
    assertEquals(expectedRetryable, error.get("retryable").asBoolean(), error.toString());
    assertEquals("error: " + error.get("message").asText(), lines.get(0));
    assertEquals(3, error.size(), "type, message, retryable: " + error);
    return error;
  }
}
