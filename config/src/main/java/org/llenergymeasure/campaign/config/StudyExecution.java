package org.llenergymeasure.campaign.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Upstream's {@code study_execution:} as a campaign's {@code execution:} and experiment defaults:
 * cycles, order and seed, the fixed gaps, the circuit breaker, and the per-experiment timeouts.
 * What has no counterpart here is noted.
 */
final class StudyExecution {

  static final List<String> KEYS =
      List.of(
          "n_cycles",
          "experiment_order",
          "experiment_gap_seconds",
          "cycle_gap_seconds",
          "shuffle_seed",
          "skip_preflight",
          "max_consecutive_failures",
          "circuit_breaker_cooldown_seconds",
          "wall_clock_timeout_hours",
          "experiment_timeout_seconds",
          "stdout_silence_timeout_seconds",
          "deduplicate_equivalent",
          "gpu_indices");

  private static final Map<String, String> ORDERS =
      Map.of(
          "sequential", "grouped",
          "interleave", "interleave",
          "shuffle", "shuffle",
          "reverse", "reverse",
          "latin_square", "latin-square");

  private static final String PATH = "study_execution";

  private final StudyNotes notes;
  private final Map<String, Object> x;
  private final YamlMap node;
  private final YamlNode where;

  /** What the study's execution gives; {@code where} locates notes about missing keys. */
  final Map<String, Object> execution = new LinkedHashMap<>();

  final Map<String, Object> defaults = new LinkedHashMap<>();

  StudyExecution(StudyNotes notes, Map<String, Object> x, YamlMap node, YamlNode where) {
    this.notes = notes;
    this.x = x;
    this.node = node;
    this.where = where;
  }

  boolean deduplicate() {
    return !Boolean.FALSE.equals(x.get("deduplicate_equivalent"));
  }

  void map() {
    for (String key : x.keySet()) {
      if (!KEYS.contains(key)) {
        String near = Suggestions.nearest(key, KEYS);
        note(
            key,
            "unknown key of study_execution"
                + (near != null ? " (did you mean `" + near + "`?)" : "")
                + "; not carried over");
      }
    }
    Object cycles = x.get("n_cycles");
    if (cycles == null) {
      execution.put("cycles", 3);
      note(null, "no n_cycles: `llem run` then runs 3 cycles, and so does this campaign");
    } else if (cycles instanceof Long n && n >= 1 && n <= ExecutionFields.MAX_CYCLES) {
      execution.put("cycles", n);
    } else {
      note("n_cycles", "`" + cycles + "` is not 1 to 1000 cycles; 1 cycle is written instead");
      execution.put("cycles", 1);
    }
    order();
    gap("experiment_gap_seconds", "gap", "between experiments");
    gap("cycle_gap_seconds", "cycleGap", "between cycles");
    breaker();
    timeout("experiment_timeout_seconds", "timeout", 600);
    Object silence = x.get("stdout_silence_timeout_seconds");
    if (silence instanceof Number n && new BigDecimal(n.toString()).signum() == 0) {
      note(
          "stdout_silence_timeout_seconds",
          "0 disables upstream's silence watchdog; a campaign always has one, so the default"
              + " silenceTimeout (30m) applies");
    } else {
      timeout("stdout_silence_timeout_seconds", "silenceTimeout", 300);
    }
    if (Boolean.TRUE.equals(x.get("skip_preflight"))) {
      note(
          "skip_preflight",
          "not carried over: every run's GPUs are verified inside its container or process");
    }
    if (x.get("wall_clock_timeout_hours") != null) {
      note(
          "wall_clock_timeout_hours",
          "not carried over: a campaign has no overall time limit (runs have `timeout`);"
              + " `llem-campaign cancel` stops it");
    }
    if (x.containsKey("circuit_breaker_cooldown_seconds")) {
      note(
          "circuit_breaker_cooldown_seconds",
          "not carried over: the circuit breaker pauses the campaign until `llem-campaign"
              + " resume`, with no half-open probe");
    }
    if (x.get("gpu_indices") instanceof List<?> l && !l.isEmpty()) {
      defaults.put("gpus", l);
    }
  }

  private void order() {
    Object order = x.get("experiment_order");
    if (order == null) {
      execution.put("order", "shuffle");
      note(null, "no experiment_order: `llem run` then shuffles, and so does this campaign");
      order = "shuffle";
    } else if (ORDERS.containsKey(String.valueOf(order))) {
      execution.put("order", ORDERS.get(String.valueOf(order)));
    } else {
      note("experiment_order", "`" + order + "` is not an upstream order; interleave is written");
      execution.put("order", "interleave");
    }
    Object seed = x.get("shuffle_seed");
    if (seed instanceof Long s) {
      execution.put("seed", s);
    }
    if (order.equals("shuffle") || order.equals("latin_square")) {
      note(
          x.containsKey("experiment_order") ? "experiment_order" : null,
          (seed instanceof Long
                  ? "the seed is carried over"
                  : "upstream derives the seed from its study design hash; seed 0 is written")
              + ", but the "
              + order
              + " order comes from this tool's own generator, so the sequence differs from"
              + " upstream's (campaign-format.md, Order)");
    }
  }

  private void gap(String key, String target, String what) {
    if (!x.containsKey(key) || x.get(key) == null) {
      note(
          x.containsKey(key) ? key : null,
          "no "
              + key
              + ": upstream then waits its user config's default "
              + what
              + "; no fixed gap is written (set execution."
              + target
              + ", or execution.cooldown: {idleBaseline: true})");
      return;
    }
    String d = seconds(key);
    if (d != null && !d.equals("0")) {
      execution.put(target, d);
    }
  }

  private void timeout(String key, String target, long upstreamDefault) {
    String d = x.containsKey(key) ? seconds(key) : upstreamDefault + "s";
    if (d != null && !d.equals("0")) {
      defaults.put(target, d);
    }
  }

  private void breaker() {
    Object n = x.get("max_consecutive_failures");
    if (n == null) {
      return;
    }
    if (n instanceof Long v && v == 1) {
      execution.put("failFast", true);
    } else if (n instanceof Long v && v == 0) {
      execution.put("maxConsecutiveFailures", Integer.MAX_VALUE);
      note(
          "max_consecutive_failures",
          "0 disables upstream's circuit breaker; the nearest here is a breaker of 2147483647");
    } else if (n instanceof Long v && v > 1 && v <= Integer.MAX_VALUE) {
      execution.put("maxConsecutiveFailures", v);
    } else {
      note("max_consecutive_failures", "`" + n + "` is not a count; not carried over");
    }
  }

  /** Seconds as a duration ({@code 90s}); a fraction is rounded up to whole seconds (noted). */
  private String seconds(String key) {
    Object v = x.get(key);
    if (!(v instanceof Number)) {
      note(key, "`" + v + "` is not a number of seconds; not carried over");
      return null;
    }
    BigDecimal d = new BigDecimal(v.toString());
    if (d.signum() < 0) {
      note(key, "`" + v + "` is negative; not carried over");
      return null;
    }
    BigDecimal whole = d.setScale(0, RoundingMode.CEILING);
    if (whole.compareTo(d) != 0) {
      note(key, v + " s is rounded up to " + whole + " s (durations here are whole seconds)");
    }
    return whole.signum() == 0 ? "0" : whole.toPlainString() + "s";
  }

  private void note(String key, String message) {
    YamlMap.Entry e = key == null || node == null ? null : node.entries().get(key);
    if (e != null) {
      notes.add(e.keyMark(), YamlPath.key(PATH, key), message);
    } else {
      notes.add(node != null ? node : where, key == null ? PATH : YamlPath.key(PATH, key), message);
    }
  }
}
