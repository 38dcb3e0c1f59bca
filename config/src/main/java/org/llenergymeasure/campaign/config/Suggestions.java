package org.llenergymeasure.campaign.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/** "Did you mean …" for unknown keys and enum values: the nearest candidate by edit distance. */
final class Suggestions {

  /** Where keys that are known somewhere else in the file belong, for misplaced keys. */
  private static final Map<String, String> HOMES =
      Map.ofEntries(
          Map.entry("cycles", "execution"),
          Map.entry("order", "execution"),
          Map.entry("seed", "execution"),
          Map.entry("gap", "execution"),
          Map.entry("cycleGap", "execution"),
          Map.entry("cooldown", "execution"),
          Map.entry("concurrency", "execution"),
          Map.entry("failFast", "execution"),
          Map.entry("maxConsecutiveFailures", "execution"),
          Map.entry("image", "an experiment, `defaults` or `grid.base`"),
          Map.entry("command", "an experiment, `defaults` or `grid.base`"),
          Map.entry("gpus", "an experiment, `defaults` or `grid.base`"),
          Map.entry("env", "an experiment, `defaults` or `grid.base`"),
          Map.entry("timeout", "an experiment, `defaults` or `grid.base`"),
          Map.entry("axes", "grid"),
          Map.entry("base", "grid"),
          Map.entry("attach", "the top level"),
          Map.entry("hosts", "the top level"),
          Map.entry("campaign", "the top level"),
          Map.entry("experiments", "the top level"),
          Map.entry("defaults", "the top level"));

  private Suggestions() {}

  /** The nearest of {@code candidates} to {@code word}, or null when none is close. */
  static String nearest(String word, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(word.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    if (best == null) {
      return null;
    }
    int allowed = Math.max(2, Math.min(word.length(), best.length()) / 3);
    return bestDistance <= allowed ? best : null;
  }

  /**
   * The explanation for an unknown key: the nearest known key here, else where the key belongs if
   * it is known elsewhere, else the list of keys allowed here.
   */
  static String forUnknownKey(String key, Collection<String> known, String here) {
    String near = nearest(key, known);
    if (near != null) {
      return "unknown key `" + key + "`; did you mean `" + near + "`?";
    }
    String home = HOMES.get(key);
    if (home != null && !known.contains(key)) {
      return "unknown key `" + key + "` in " + here + "; `" + key + "` belongs in " + home;
    }
    return "unknown key `" + key + "`; the keys of " + here + " are " + String.join(", ", known);
  }

  /** Levenshtein distance; inputs are short keys, so the simple two-row version is enough. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
