package org.llenergymeasure.campaign.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A canonical JSON form for hashing and comparing: object keys sorted (by {@link String} order), no
 * whitespace, strings escaped minimally ({@code "}, {@code \} and control characters only),
 * integers in decimal, durations as whole seconds, absent values as {@code null}. Written by hand
 * rather than with Jackson so that no mapper setting can change a hash.
 */
final class CanonicalJson {

  private CanonicalJson() {}

  /** Everything about an experiment that changes what runs; labels never, the name optionally. */
  static Map<String, Object> experiment(Experiment e, boolean withName) {
    Map<String, Object> m = new TreeMap<>();
    if (withName) {
      m.put("name", e.name());
    }
    m.put("image", e.image());
    m.put("command", e.command());
    Map<String, Object> gpus = new TreeMap<>();
    gpus.put("kind", e.gpus().kind().name());
    gpus.put("selectors", e.gpus().selectors());
    gpus.put("count", (long) e.gpus().count());
    if (e.gpus().model() != null) {
      // Only when given, so the hash of a file without it is unchanged.
      gpus.put("model", e.gpus().model());
    }
    m.put("gpus", gpus);
    if (e.parallelism() == null) {
      m.put("parallelism", null);
    } else {
      Map<String, Object> p = new TreeMap<>();
      p.put("tensor", (long) e.parallelism().tensor());
      p.put("pipeline", (long) e.parallelism().pipeline());
      m.put("parallelism", p);
    }
    m.put("env", new TreeMap<>(e.env()));
    List<String> secrets = new ArrayList<>(e.secrets());
    secrets.sort(null); // secrets are a set: their order changes nothing
    m.put("secrets", secrets);
    List<Object> mounts = new ArrayList<>();
    for (Mount mount : e.mounts()) {
      Map<String, Object> mm = new TreeMap<>();
      mm.put("source", mount.source());
      mm.put("target", mount.target());
      mm.put("readOnly", mount.readOnly());
      mounts.add(mm);
    }
    m.put("mounts", mounts);
    m.put("resultsDir", e.resultsDir());
    m.put("resultFile", e.resultFile());
    m.put("shmSize", e.shmSize());
    m.put("ipc", e.ipc());
    m.put("timeout", e.timeout());
    m.put("silenceTimeout", e.silenceTimeout());
    m.put("retries", (long) e.retries());
    m.put("memory", e.memory());
    m.put("network", e.network());
    m.put("busy", e.busy() == null ? null : e.busy().yamlName());
    m.put("probe", e.probe());
    m.put("host", e.host());
    // Added later: present only when not the default, so the hash of every file that does not
    // use them is what it was before they existed.
    if (e.remeasure() != 0) {
      m.put("remeasure", (long) e.remeasure());
    }
    if (!Measurement.DEFAULT.equals(e.measurement())) {
      Map<String, Object> x = new TreeMap<>();
      x.put("check", e.measurement().check());
      // A fraction as parts per million: canonical JSON has no floating point numbers.
      x.put("energyTolerancePpm", Math.round(e.measurement().energyTolerance() * 1_000_000));
      x.put("compareEnergy", e.measurement().compareEnergy());
      x.put("allowThermalThrottle", e.measurement().allowThermalThrottle());
      // Added later, each only when set: a file without them hashes as before.
      if (!e.measurement().rules().isEmpty()) {
        x.put("rules", new TreeMap<>(e.measurement().rules()));
      }
      if (e.measurement().minDuration() != null) {
        x.put("minDurationMs", e.measurement().minDuration().toMillis());
      }
      m.put("measurement", x);
    }
    if (e.allowDangerousMounts()) {
      m.put("allowDangerousMounts", true);
    }
    if (e.llenergymeasure() != null) {
      Map<String, Object> x = new TreeMap<>();
      x.put("config", e.llenergymeasure().config()); // canonical JSON text: keys sorted
      x.put("engine", e.llenergymeasure().engine());
      x.put("version", e.llenergymeasure().version());
      x.put("python", e.llenergymeasure().python());
      m.put("llenergymeasure", x);
    }
    if (e.logLimit() != Experiment.DEFAULT_LOG_LIMIT) {
      m.put("logLimit", e.logLimit());
    }
    if (e.user() != null) {
      m.put("user", e.user());
    }
    return m;
  }

  static Map<String, Object> execution(Execution x) {
    Map<String, Object> m = new TreeMap<>();
    if (x.adaptive() == null) {
      m.put("cycles", (long) x.cycles());
    } else {
      // Adaptive cycles (added later) in the place of the count, so a fixed count hashes as before.
      AdaptiveCycles a = x.adaptive();
      Map<String, Object> c = new TreeMap<>();
      c.put("min", (long) a.min());
      c.put("max", (long) a.max());
      Map<String, Object> until = new TreeMap<>();
      until.put("metric", a.metric());
      // Fractions as parts per million: canonical JSON has no floating point numbers.
      until.put("relativeHalfWidthPpm", Math.round(a.relativeHalfWidth() * 1_000_000));
      until.put("confidencePpm", Math.round(a.confidence() * 1_000_000));
      c.put("until", until);
      m.put("cycles", c);
    }
    m.put("order", x.order().yamlName());
    m.put("seed", x.seed());
    m.put("gap", x.gap());
    m.put("cycleGap", x.cycleGap());
    if (x.cooldown() == null) {
      m.put("cooldown", null);
    } else {
      Map<String, Object> c = new TreeMap<>();
      Cooldown cd = x.cooldown();
      c.put(
          "maxGpuTemperatureC",
          cd.maxGpuTemperatureC() == null ? null : (long) cd.maxGpuTemperatureC());
      c.put("timeout", cd.timeout());
      // The idle-baseline keys join the hash only when used, so a file written before they
      // existed keeps its hash (a running campaign's worker checks it).
      if (cd.idleBaseline()) {
        c.put("idleBaseline", true);
        c.put("idleDeltaC", (long) cd.idleDeltaC());
        c.put("idlePowerMarginW", (long) cd.idlePowerMarginW());
      }
      m.put("cooldown", c);
    }
    m.put("concurrency", (long) x.concurrency());
    m.put("failFast", x.failFast());
    m.put("maxConsecutiveFailures", (long) x.maxConsecutiveFailures());
    return m;
  }

  static String write(Object value) {
    StringBuilder sb = new StringBuilder(1024);
    write(value, sb);
    return sb.toString();
  }

  static void write(Object value, StringBuilder sb) {
    if (value == null) {
      sb.append("null");
    } else if (value instanceof String s) {
      string(s, sb);
    } else if (value instanceof Boolean b) {
      sb.append(b ? "true" : "false");
    } else if (value instanceof Long || value instanceof Integer) {
      sb.append(((Number) value).longValue());
    } else if (value instanceof BigInteger i) {
      sb.append(i);
    } else if (value instanceof BigDecimal d) {
      sb.append(decimal(d));
    } else if (value instanceof Duration d) {
      sb.append(d.toSeconds());
    } else if (value instanceof Map<?, ?> map) {
      Map<?, ?> sorted = map;
      if (!(map instanceof TreeMap<?, ?> t && t.comparator() == null)) {
        // Not already in String order (a TreeMap of String keys is): sort a copy.
        Map<String, Object> copy = new TreeMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
          copy.put((String) e.getKey(), e.getValue());
        }
        sorted = copy;
      }
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : sorted.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        string((String) e.getKey(), sb);
        sb.append(':');
        write(e.getValue(), sb);
      }
      sb.append('}');
    } else if (value instanceof List<?> list) {
      sb.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        write(list.get(i), sb);
      }
      sb.append(']');
    } else {
      throw new IllegalArgumentException("not canonical JSON: " + value.getClass());
    }
  }

  /**
   * A decimal written once one way: trailing zeros dropped ({@code 0.50} is {@code 0.5}) and always
   * with a point or an exponent, so that it stays a decimal where JSON is read ({@code 1.0}, {@code
   * 1E+3}). Only upstream configs hold decimals; the campaign's own fields never do.
   */
  static String decimal(BigDecimal d) {
    String s = d.stripTrailingZeros().toString();
    return s.contains(".") || s.contains("E") ? s : s + ".0";
  }

  /** Whether {@code s} needs no escaping (the common case, written at once). */
  private static boolean plain(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\' || c < 0x20) {
        return false;
      }
    }
    return true;
  }

  static void string(String s, StringBuilder sb) {
    sb.append('"');
    if (plain(s)) {
      sb.append(s).append('"');
      return;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }
}
