package org.llenergymeasure.campaign.activities.progress;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Locale;
import java.util.Optional;
import org.llenergymeasure.campaign.activities.container.Secrets;

/**
 * Progress events in a run's output: llenergymeasure's container entry point prints one JSON object
 * per line on stdout ({@code {"event": "step_start", "step": "model", "description": "Loading
 * model", "detail": "gpt2"}}), and any other run may print the same. A line is an event when it is
 * a JSON object with a known {@code event} and a non-empty {@code step} string; every other line
 * (malformed JSON, an unknown event, plain text) is ordinary output.
 *
 * <p>An event becomes a short step text for the live views: on one line, control characters
 * replaced, secrets masked, at most {@link #MAX_LENGTH} characters.
 */
public final class ProgressEvents {

  /** The most characters of a step text. */
  public static final int MAX_LENGTH = 120;

  /** Longer lines are not looked at (upstream's events are well under this). */
  static final int MAX_LINE = 4096;

  private static final JsonMapper JSON =
      JsonMapper.builder()
          // Python's json.dumps writes NaN and Infinity for such floats.
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private ProgressEvents() {}

  /** Whether the line is a progress event (whatever its content). */
  public static boolean isEvent(String line) {
    return stepText(line, Secrets.none()).isPresent();
  }

  /**
   * The step text of an event line: {@code model: Loading model (gpt2)}, {@code warmup: 12/50
   * prompts}, {@code model done in 42.3 s}; empty for a line that is not an event.
   *
   * @param secrets masked in the text (the line may have been masked already, but the JSON's
   *     escapes can spell a secret that the raw line did not)
   */
  public static Optional<String> stepText(String line, Secrets secrets) {
    JsonNode event = parse(line);
    if (event == null) {
      return Optional.empty();
    }
    String step = text(event, "step");
    String type = text(event, "event");
    if (step == null || step.isBlank() || type == null) {
      return Optional.empty();
    }
    String raw = describe(type, step.strip(), event);
    return raw == null ? Optional.empty() : Optional.of(clean(raw, secrets));
  }

  private static JsonNode parse(String line) {
    if (line == null) {
      return null;
    }
    String s = line.strip();
    if (s.length() > MAX_LINE || !s.startsWith("{") || !s.endsWith("}") || !s.contains("event")) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(s);
      return node != null && node.isObject() ? node : null;
    } catch (JacksonException e) {
      return null; // malformed: an ordinary line
    }
  }

  private static String describe(String type, String step, JsonNode e) {
    return switch (type) {
      case "step_start" -> {
        String description = text(e, "description");
        String head = blank(description) ? step + " started" : step + ": " + description.strip();
        yield head + inParens(text(e, "detail"));
      }
      case "step_update" -> {
        String detail = text(e, "detail");
        yield blank(detail) ? step : step + ": " + detail.strip();
      }
      case "step_done" -> step + " done" + elapsed(e, " in ");
      case "step_skip" -> step + " skipped" + inParens(text(e, "reason"));
      case "substep" -> step + ": " + orDots(text(e, "text")) + inParensElapsed(e);
      case "substep_start" -> step + ": " + orDots(text(e, "text"));
      case "substep_done" -> {
        String what = text(e, "text");
        yield step + ": " + (blank(what) ? "" : what.strip() + " ") + "done" + elapsed(e, " in ");
      }
      default -> null;
    };
  }

  private static String orDots(String text) {
    return blank(text) ? "..." : text.strip();
  }

  private static String inParens(String text) {
    return blank(text) ? "" : " (" + text.strip() + ")";
  }

  private static String inParensElapsed(JsonNode e) {
    String t = elapsed(e, "");
    return t.isEmpty() ? "" : " (" + t + ")";
  }

  /** {@code elapsed_sec} as "42.3 s", "12 min 5 s" or "2 h 3 min"; empty when absent or 0. */
  static String elapsed(JsonNode e, String prefix) {
    JsonNode n = e.get("elapsed_sec");
    if (n == null || !n.isNumber()) {
      return "";
    }
    double s = n.asDouble();
    if (!Double.isFinite(s) || s <= 0) {
      return "";
    }
    String text;
    if (s < 60) {
      text = String.format(Locale.ROOT, "%.1f s", s);
    } else if (s < 3600) {
      long whole = Math.round(s);
      text = whole / 60 + " min " + whole % 60 + " s";
    } else {
      long minutes = Math.round(s / 60);
      text = minutes / 60 + " h " + minutes % 60 + " min";
    }
    return prefix + text;
  }

  private static String text(JsonNode e, String field) {
    JsonNode n = e.get(field);
    return n != null && n.isTextual() ? n.asText() : null;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /**
   * One line of at most {@link #MAX_LENGTH} characters: control and invisible format characters
   * (bidirectional overrides) become spaces, runs of spaces one, secrets masked before and after.
   */
  static String clean(String raw, Secrets secrets) {
    String masked = secrets.redact(raw);
    StringBuilder out = new StringBuilder(Math.min(masked.length(), MAX_LINE));
    boolean space = false;
    for (int i = 0; i < masked.length(); ) {
      int cp = masked.codePointAt(i);
      i += Character.charCount(cp);
      boolean blank =
          Character.isWhitespace(cp)
              || Character.isISOControl(cp)
              || Character.getType(cp) == Character.FORMAT
              || Character.isSpaceChar(cp);
      if (blank) {
        space = out.length() > 0;
        continue;
      }
      if (space) {
        out.append(' ');
        space = false;
      }
      out.appendCodePoint(cp);
    }
    String text = secrets.redact(out.toString());
    if (text.length() <= MAX_LENGTH) {
      return text;
    }
    int cut = MAX_LENGTH - 3;
    if (Character.isHighSurrogate(text.charAt(cut - 1))) {
      cut--;
    }
    return text.substring(0, cut).stripTrailing() + "...";
  }
}
