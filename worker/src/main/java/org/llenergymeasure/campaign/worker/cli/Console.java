package org.llenergymeasure.campaign.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.llenergymeasure.campaign.workflows.LlemDataConverter;

/** Where commands print: people on stderr/stdout, programs get JSON on stdout. */
public final class Console {

  private static final ObjectMapper JSON = LlemDataConverter.objectMapper();

  private final PrintStream out;
  private final PrintStream err;

  public Console(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static Console system() {
    return new Console(System.out, System.err);
  }

  public void line(String text) {
    out.println(text);
    out.flush();
  }

  /** Status lines for people that must not mix with JSON on stdout. */
  public void note(String text) {
    err.println(text);
    err.flush();
  }

  public void json(Object value) {
    try {
      out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value));
      out.flush();
    } catch (Exception e) {
      throw new IllegalStateException("cannot print JSON: " + e.getMessage(), e);
    }
  }

  /**
   * One readable line on stderr; with --json also {"error": {type, message, retryable}} on stdout.
   */
  public void error(boolean asJson, String type, String message, boolean retryable) {
    err.println("error: " + message);
    err.flush();
    if (asJson) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("type", type);
      e.put("message", message);
      e.put("retryable", retryable);
      json(Map.of("error", e));
    }
  }

  public static ObjectMapper mapper() {
    return JSON;
  }
}
