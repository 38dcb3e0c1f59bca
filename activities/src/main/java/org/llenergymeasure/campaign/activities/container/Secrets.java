package org.llenergymeasure.campaign.activities.container;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.workflows.FailureTypes;

/**
 * Secrets are named in the campaign and read from the worker's environment at the moment the
 * container is made. Their values go into the container's environment and nowhere else: every text
 * the worker keeps from a run (saved logs, the last log line, failure messages) passes through
 * {@link #redact} first, so a run that prints its own token does not leak it either.
 */
public final class Secrets {

  /**
   * Values shorter than this are not masked: replacing every "1" or "ab" in a log would destroy it,
   * and such values are not secrets worth the name.
   */
  static final int MIN_MASKED_LENGTH = 4;

  private final Map<String, String> values;

  private Secrets(Map<String, String> values) {
    this.values = values;
  }

  public static Secrets none() {
    return new Secrets(Map.of());
  }

  /**
   * Reads each named secret from the worker environment; a missing one is {@code SecretMissing}.
   */
  public static Secrets resolve(List<String> names, Map<String, String> workerEnv, String hostId) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : names) {
      String value = workerEnv.get(name);
      if (value == null) {
        throw new RunFailureException(
            FailureTypes.SECRET_MISSING,
            "secret '"
                + name
                + "' is not set in the environment of the worker on host "
                + hostId
                + ". Export "
                + name
                + " where that worker starts (secrets are read by name from the worker's"
                + " environment, never from the campaign file) and retry the run.",
            false);
      }
      values.put(name, value);
    }
    return new Secrets(values);
  }

  /**
   * The named secrets that the given environment holds, the others left out: for masking only (the
   * launch reported a missing one already).
   */
  public static Secrets present(List<String> names, Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : names == null ? List.<String>of() : names) {
      String value = env.get(name);
      if (value != null) {
        values.put(name, value);
      }
    }
    return new Secrets(values);
  }

  /** The secrets named by a container's {@code llem.secrets} label, read from its environment. */
  public static Secrets fromContainer(Map<String, String> labels, String[] containerEnv) {
    String names = labels == null ? null : labels.get(ContainerLabels.SECRETS);
    if (names == null || names.isBlank() || containerEnv == null) {
      return none();
    }
    List<String> wanted = Arrays.asList(names.split(","));
    Map<String, String> values = new LinkedHashMap<>();
    for (String entry : containerEnv) {
      int eq = entry.indexOf('=');
      if (eq > 0 && wanted.contains(entry.substring(0, eq))) {
        values.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return new Secrets(values);
  }

  public List<String> names() {
    return List.copyOf(values.keySet());
  }

  /** {@code NAME=value} entries for the container environment. */
  List<String> envEntries() {
    List<String> out = new ArrayList<>();
    values.forEach((k, v) -> out.add(k + "=" + v));
    return out;
  }

  /** Whether there is anything to mask. */
  public boolean isEmpty() {
    return masked().isEmpty();
  }

  /** The values that are masked (long enough), longest first. */
  private List<String> masked() {
    List<String> out = new ArrayList<>();
    for (String v : values.values()) {
      if (v.length() >= MIN_MASKED_LENGTH) {
        out.add(v);
      }
    }
    out.sort(Comparator.comparingInt(String::length).reversed());
    return out;
  }

  /**
   * The length of the longest end of {@code text} that is the beginning (not the whole) of a secret
   * value: what a stream of output must hold back until more arrives, since the rest of the secret
   * may follow.
   */
  int pendingSuffixLength(CharSequence text) {
    int n = text.length();
    int best = 0;
    for (String v : masked()) {
      for (int i = Math.max(0, n - (v.length() - 1)); i < n - best; i++) {
        if (text.charAt(i) == v.charAt(0) && regionEquals(text, i, v, n - i)) {
          best = n - i;
          break;
        }
      }
    }
    return best;
  }

  /**
   * The length of the longest beginning of {@code text} that is the end (not the whole) of a secret
   * value: what a window cut out of a longer output (a tail) must drop, since the start of the
   * secret may lie before it.
   */
  int cutPrefixLength(CharSequence text) {
    int n = text.length();
    int best = 0;
    for (String v : masked()) {
      for (int len = Math.min(n, v.length() - 1); len > best; len--) {
        if (regionEquals(text, 0, v.substring(v.length() - len), len)) {
          best = len;
          break;
        }
      }
    }
    return best;
  }

  private static boolean regionEquals(CharSequence text, int from, String v, int len) {
    for (int k = 0; k < len; k++) {
      if (text.charAt(from + k) != v.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /**
   * A window of a run's output (e.g. its last few KiB) with the secrets masked, including a secret
   * cut in two at either end of the window.
   *
   * @param cutAtStart the window starts after the start of the output
   * @param cutAtEnd the output may go on after the window
   */
  public String redactWindow(String text, boolean cutAtStart, boolean cutAtEnd) {
    if (text == null || isEmpty()) {
      return text;
    }
    // Whole secrets first; then what is left of a cut one at either end.
    String out = redact(text);
    if (cutAtStart) {
      out = out.substring(cutPrefixLength(out));
    }
    if (cutAtEnd) {
      out = out.substring(0, out.length() - pendingSuffixLength(out));
    }
    return out;
  }

  /**
   * The text with every secret value, and every piece of one at least {@link #MIN_MASKED_LENGTH}
   * characters long, replaced by {@code <secret NAME>}: for a message that quotes a fragment of the
   * run's output chosen by someone else (a JSON parser quotes the token it stopped at, which may be
   * part of a secret), never for whole logs.
   */
  public String redactFragments(String text) {
    String full = redact(text);
    if (full == null || isEmpty()) {
      return full;
    }
    StringBuilder out = new StringBuilder(full.length());
    int i = 0;
    while (i < full.length()) {
      int best = 0;
      String bestName = null;
      for (Map.Entry<String, String> e : values.entrySet()) {
        String v = e.getValue();
        if (v.length() < MIN_MASKED_LENGTH) {
          continue;
        }
        for (int j = 0; j < v.length(); j++) {
          int len = 0;
          while (i + len < full.length()
              && j + len < v.length()
              && full.charAt(i + len) == v.charAt(j + len)) {
            len++;
          }
          if (len > best) {
            best = len;
            bestName = e.getKey();
          }
        }
      }
      if (best >= MIN_MASKED_LENGTH) {
        out.append("<secret ").append(bestName).append('>');
        i += best;
      } else {
        out.append(full.charAt(i));
        i++;
      }
    }
    return out.toString();
  }

  /** The text with every secret value replaced by {@code <secret NAME>}. */
  public String redact(String text) {
    if (text == null || values.isEmpty()) {
      return text;
    }
    String out = text;
    // Longest first, so that a secret containing another is masked whole.
    List<Map.Entry<String, String>> entries = new ArrayList<>(values.entrySet());
    entries.sort(
        Comparator.comparingInt((Map.Entry<String, String> e) -> e.getValue().length()).reversed());
    for (Map.Entry<String, String> e : entries) {
      if (e.getValue().length() >= MIN_MASKED_LENGTH) {
        out = out.replace(e.getValue(), "<secret " + e.getKey() + ">");
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "Secrets" + values.keySet();
  }
}
