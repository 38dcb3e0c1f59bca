package org.llenergymeasure.campaign.config;

import java.time.Duration;
import java.util.List;

/** Reads the {@code execution} section, applying the defaults of campaign-format.md. */
final class ExecutionFields {

  static final List<String> KEYS =
      List.of(
          "cycles",
          "order",
          "seed",
          "gap",
          "cycleGap",
          "cooldown",
          "concurrency",
          "failFast",
          "maxConsecutiveFailures");
  static final List<String> ORDERS =
      List.of("grouped", "interleave", "shuffle", "reverse", "latin-square");
  static final int MAX_CYCLES = 1000;
  static final Duration DEFAULT_COOLDOWN_TIMEOUT = Duration.ofMinutes(15);

  private final Fields f;

  ExecutionFields(Fields f) {
    this.f = f;
  }

  /** The execution settings; defaults stand in for invalid values (their errors are reported). */
  Execution parse(YamlNode node, String path) {
    Execution d = Execution.defaults();
    if (node == null) {
      return d;
    }
    YamlMap m = f.map(node, path);
    if (m == null) {
      return d;
    }
    f.checkKeys(m, path, KEYS, "execution");
    int cycles = d.cycles();
    AdaptiveCycles adaptive = null;
    if (m.has("cycles")) {
      YamlNode n = m.get("cycles");
      if (n instanceof YamlMap cm) {
        adaptive = new CyclesFields(f).adaptive(cm, YamlPath.key(path, "cycles"));
        cycles = adaptive == null ? cycles : adaptive.max();
      } else {
        cycles = or(f.integer(n, YamlPath.key(path, "cycles"), 1, MAX_CYCLES), cycles);
      }
    }
    RunOrder order = d.order();
    if (m.has("order")) {
      String o = f.choice(m.get("order"), YamlPath.key(path, "order"), ORDERS);
      order = o == null ? order : RunOrder.fromYaml(o);
      if (adaptive != null && order == RunOrder.GROUPED) {
        f.error(
            m.get("order"),
            YamlPath.key(path, "order"),
            "grouped runs all cycles of an experiment in a row, but adaptive cycles decide after"
                + " each cycle whether another is needed; use interleave, shuffle, reverse or"
                + " latin-square");
      }
    }
    long seed = d.seed();
    if (m.has("seed")) {
      seed =
          or(
              f.longValue(
                  m.get("seed"), YamlPath.key(path, "seed"), Long.MIN_VALUE, Long.MAX_VALUE),
              seed);
    }
    Duration gap = d.gap();
    if (m.has("gap")) {
      gap = or(f.duration(m.get("gap"), YamlPath.key(path, "gap"), false), gap);
    }
    Duration cycleGap = d.cycleGap();
    if (m.has("cycleGap")) {
      cycleGap = or(f.duration(m.get("cycleGap"), YamlPath.key(path, "cycleGap"), false), cycleGap);
    }
    Cooldown cooldown =
        m.has("cooldown") ? cooldown(m.get("cooldown"), YamlPath.key(path, "cooldown")) : null;
    int concurrency = d.concurrency();
    if (m.has("concurrency")) {
      YamlNode n = m.get("concurrency");
      concurrency =
          or(f.integer(n, YamlPath.key(path, "concurrency"), 1, Integer.MAX_VALUE), concurrency);
    }
    boolean failFast = d.failFast();
    if (m.has("failFast")) {
      failFast = or(f.bool(m.get("failFast"), YamlPath.key(path, "failFast")), failFast);
    }
    int maxFailures = d.maxConsecutiveFailures();
    if (m.has("maxConsecutiveFailures")) {
      maxFailures =
          or(
              f.integer(
                  m.get("maxConsecutiveFailures"),
                  YamlPath.key(path, "maxConsecutiveFailures"),
                  1,
                  Integer.MAX_VALUE),
              maxFailures);
    }
    return new Execution(
        cycles, order, seed, gap, cycleGap, cooldown, concurrency, failFast, maxFailures, adaptive);
  }

  static final List<String> COOLDOWN_KEYS =
      List.of("maxGpuTemperatureC", "timeout", "idleBaseline", "idleDeltaC", "idlePowerMarginW");

  private Cooldown cooldown(YamlNode node, String path) {
    YamlMap m = f.map(node, path);
    if (m == null) {
      return null;
    }
    f.checkKeys(m, path, COOLDOWN_KEYS, "cooldown");
    boolean valid = true;
    boolean idleBaseline = false;
    if (m.has("idleBaseline")) {
      Boolean b = f.bool(m.get("idleBaseline"), YamlPath.key(path, "idleBaseline"));
      valid = b != null;
      idleBaseline = Boolean.TRUE.equals(b);
    }
    Integer temp = null;
    YamlNode t = m.get("maxGpuTemperatureC");
    if (t != null) {
      temp = f.integer(t, YamlPath.key(path, "maxGpuTemperatureC"), 20, 110);
      valid &= temp != null;
    } else if (!idleBaseline && valid) {
      f.error(
          m,
          YamlPath.key(path, "maxGpuTemperatureC"),
          "is missing; say how cool the GPUs must be, e.g. {maxGpuTemperatureC: 45, timeout: 15m},"
              + " or wait until they are back at their idle state with {idleBaseline: true}");
      return null;
    }
    Integer delta =
        idleOnly(m, path, "idleDeltaC", idleBaseline, 0, 30, Cooldown.DEFAULT_IDLE_DELTA_C);
    Integer margin =
        idleOnly(
            m,
            path,
            "idlePowerMarginW",
            idleBaseline,
            1,
            1000,
            Cooldown.DEFAULT_IDLE_POWER_MARGIN_W);
    Duration timeout = DEFAULT_COOLDOWN_TIMEOUT;
    if (m.has("timeout")) {
      timeout = f.duration(m.get("timeout"), YamlPath.key(path, "timeout"), true);
    }
    if (!valid || timeout == null || (idleBaseline && (delta == null || margin == null))) {
      return null;
    }
    return new Cooldown(
        temp, timeout, idleBaseline, idleBaseline ? delta : null, idleBaseline ? margin : null);
  }

  /**
   * A key that only means something next to {@code idleBaseline: true}: its value (or the default
   * when not written) there, an error elsewhere (a user who sets it expects it to act).
   */
  private Integer idleOnly(
      YamlMap m,
      String path,
      String key,
      boolean idleBaseline,
      int min,
      int max,
      int defaultValue) {
    if (!m.has(key)) {
      return defaultValue;
    }
    String keyPath = YamlPath.key(path, key);
    if (!idleBaseline) {
      f.error(
          m.get(key),
          keyPath,
          "only applies with idleBaseline: true; add idleBaseline: true"
              + " to wait for the idle state measured at campaign start, or remove "
              + key);
      return null;
    }
    return f.integer(m.get(key), keyPath, min, max);
  }

  private static <T> T or(T value, T fallback) {
    return value == null ? fallback : value;
  }
}
