package org.llenergymeasure.campaign.config;

import java.time.Duration;
import java.util.List;

/** Reads the {@code execution} section, applying the defaults of campaign-format.md. */
final class ExecutionFields {

  static final List<String> KEYS =
      List.of(
          "cycles", "order", "seed", "gap", "cycleGap", "cooldown", "concurrency", "failFast",
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
    if (m.has("cycles")) {
      YamlNode n = m.get("cycles");
      cycles = or(f.integer(n, YamlPath.key(path, "cycles"), 1, MAX_CYCLES), cycles);
    }
    RunOrder order = d.order();
    if (m.has("order")) {
      String o = f.choice(m.get("order"), YamlPath.key(path, "order"), ORDERS);
      order = o == null ? order : RunOrder.fromYaml(o);
    }
    long seed = d.seed();
    if (m.has("seed")) {
      seed = or(f.longValue(m.get("seed"), YamlPath.key(path, "seed"), Long.MIN_VALUE,
          Long.MAX_VALUE), seed);
    }
    Duration gap = d.gap();
    if (m.has("gap")) {
      gap = or(f.duration(m.get("gap"), YamlPath.key(path, "gap"), false), gap);
    }
    Duration cycleGap = d.cycleGap();
    if (m.has("cycleGap")) {
      cycleGap = or(f.duration(m.get("cycleGap"), YamlPath.key(path, "cycleGap"), false), cycleGap);
    }
    Cooldown cooldown = m.has("cooldown") ? cooldown(m.get("cooldown"),
        YamlPath.key(path, "cooldown")) : null;
    int concurrency = d.concurrency();
    if (m.has("concurrency")) {
      YamlNode n = m.get("concurrency");
      concurrency = or(f.integer(n, YamlPath.key(path, "concurrency"), 1, Integer.MAX_VALUE),
          concurrency);
    }
    boolean failFast = d.failFast();
    if (m.has("failFast")) {
      failFast = or(f.bool(m.get("failFast"), YamlPath.key(path, "failFast")), failFast);
    }
    int maxFailures = d.maxConsecutiveFailures();
    if (m.has("maxConsecutiveFailures")) {
      maxFailures = or(f.integer(m.get("maxConsecutiveFailures"),
          YamlPath.key(path, "maxConsecutiveFailures"), 1, Integer.MAX_VALUE), maxFailures);
    }
    return new Execution(cycles, order, seed, gap, cycleGap, cooldown, concurrency, failFast,
        maxFailures);
  }

  private Cooldown cooldown(YamlNode node, String path) {
    YamlMap m = f.map(node, path);
    if (m == null) {
      return null;
    }
    f.checkKeys(m, path, List.of("maxGpuTemperatureC", "timeout"), "cooldown");
    YamlNode t = m.get("maxGpuTemperatureC");
    if (t == null) {
      f.error(m, YamlPath.key(path, "maxGpuTemperatureC"),
          "is missing; say how cool the GPUs must be, e.g. {maxGpuTemperatureC: 45, timeout: 15m}");
      return null;
    }
    Integer temp = f.integer(t, YamlPath.key(path, "maxGpuTemperatureC"), 20, 110);
    Duration timeout = DEFAULT_COOLDOWN_TIMEOUT;
    if (m.has("timeout")) {
      timeout = f.duration(m.get("timeout"), YamlPath.key(path, "timeout"), true);
    }
    return temp == null || timeout == null ? null : new Cooldown(temp, timeout);
  }

  private static <T> T or(T value, T fallback) {
    return value == null ? fallback : value;
  }
}
