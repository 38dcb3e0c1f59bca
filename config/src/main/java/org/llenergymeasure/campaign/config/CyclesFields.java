package org.llenergymeasure.campaign.config;

import java.util.List;

/**
 * Reads {@code execution.cycles}: a whole number (a fixed count, as always) or {@code {min, max,
 * until: {metric, relativeHalfWidth, confidence}}} ({@link AdaptiveCycles}).
 */
final class CyclesFields {

  static final List<String> KEYS = List.of("min", "max", "until");
  static final List<String> UNTIL_KEYS = List.of("metric", "relativeHalfWidth", "confidence");
  static final double MIN_CONFIDENCE = 0.5;
  static final double MAX_CONFIDENCE = 0.999;

  private final Fields f;

  CyclesFields(Fields f) {
    this.f = f;
  }

  /** The adaptive settings of a mapping; null (errors reported) when any part is invalid. */
  AdaptiveCycles adaptive(YamlMap m, String path) {
    f.checkKeys(m, path, KEYS, "cycles");
    boolean ok = true;
    for (String key : KEYS) {
      if (!m.has(key)) {
        f.error(
            m,
            YamlPath.key(path, key),
            "is missing; adaptive cycles need min, max and until, e.g. {min: 3, max: 20, until:"
                + " {metric: energyPerTokenJ, relativeHalfWidth: 2%, confidence: 0.95}},"
                + " or write a whole number for a fixed count of cycles");
        ok = false;
      }
    }
    if (!ok) {
      return null;
    }
    Integer min = f.integer(m.get("min"), YamlPath.key(path, "min"), 2, ExecutionFields.MAX_CYCLES);
    Integer max = f.integer(m.get("max"), YamlPath.key(path, "max"), 1, ExecutionFields.MAX_CYCLES);
    if (min != null && max != null && max < min) {
      f.error(
          m.get("max"),
          YamlPath.key(path, "max"),
          max + " is less than min (" + min + "); max is the most cycles an experiment gets");
      max = null;
    }
    String untilPath = YamlPath.key(path, "until");
    YamlMap until = f.map(m.get("until"), untilPath);
    if (until == null) {
      return null;
    }
    f.checkKeys(until, untilPath, UNTIL_KEYS, "until");
    String metric = metric(until, untilPath);
    Double width = share(until, untilPath, "relativeHalfWidth", 0, 1, false);
    Double confidence = share(until, untilPath, "confidence", MIN_CONFIDENCE, MAX_CONFIDENCE, true);
    if (min == null || max == null || metric == null || width == null || confidence == null) {
      return null;
    }
    return new AdaptiveCycles(min, max, metric, width, confidence);
  }

  private String metric(YamlMap until, String path) {
    String p = YamlPath.key(path, "metric");
    if (!until.has("metric")) {
      f.error(until, p, "is missing; name the metric to judge, e.g. metric: energyPerTokenJ");
      return null;
    }
    String name = f.text(until.get("metric"), p);
    if (name != null && !AdaptiveCycles.validMetric(name)) {
      f.error(
          until.get("metric"),
          p,
          "`"
              + name
              + "` is not a metric; expected one of "
              + String.join(", ", AdaptiveCycles.METRICS)
              + ", or result.<field> for a numeric field of the run's result"
              + " (e.g. result.throughput.tokens_per_second)");
      return null;
    }
    return name;
  }

  /**
   * A share written as a percentage ({@code 2%}) or a fraction ({@code 0.02}), within {@code (low,
   * high)} (the high end included when {@code closed}, the low end then too).
   */
  private Double share(
      YamlMap until, String path, String key, double low, double high, boolean closed) {
    String p = YamlPath.key(path, key);
    String range =
        closed
            ? "from " + AdaptiveCycles.percent(low) + "% to " + AdaptiveCycles.percent(high) + "%"
            : "more than "
                + AdaptiveCycles.percent(low)
                + "% and less than "
                + AdaptiveCycles.percent(high)
                + "%";
    String example = key.equals("confidence") ? "0.95 (or 95%)" : "2% (or 0.02)";
    YamlNode n = until.get(key);
    if (n == null) {
      f.error(until, p, "is missing; e.g. " + key + ": " + example);
      return null;
    }
    String t = n instanceof YamlScalar s && !s.isNull() ? s.text().strip() : null;
    Double v = null;
    if (t != null) {
      boolean pct = t.endsWith("%");
      try {
        double d = Double.parseDouble(pct ? t.substring(0, t.length() - 1).strip() : t);
        v = pct ? d / 100.0 : d;
      } catch (NumberFormatException e) {
        v = null;
      }
    }
    if (v == null || v.isNaN()) {
      f.error(
          n, p, "expected a percentage or a fraction, found " + n.describe() + "; e.g. " + example);
      return null;
    }
    boolean inside = closed ? v >= low && v <= high : v > low && v < high;
    if (!inside) {
      f.error(n, p, "`" + t + "` is out of range; expected " + range);
      return null;
    }
    return v;
  }
}
