package org.llenergymeasure.campaign.worker.report;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The stopping rule of adaptive cycles, read defensively from {@code execution.cycles: {min, max,
 * until: {metric, relativeHalfWidth, confidence}}}: {@code relativeHalfWidth} as a fraction (a
 * number such as {@code 0.02}, or text such as {@code "2%"}), {@code confidence} 0.95 unless given.
 *
 * @param metric {@code until.metric}: a metric name or {@code result.<field>}
 * @param relativeHalfWidth the target as a fraction; null when not readable
 */
public record CyclesTarget(
    Integer min, Integer max, String metric, Double relativeHalfWidth, double confidence) {

  public static final double DEFAULT_CONFIDENCE = 0.95;

  /** The target of {@code cycles}, or null when it is not an object with {@code until.metric}. */
  public static CyclesTarget of(JsonNode cycles) {
    if (cycles == null || !cycles.isObject()) {
      return null;
    }
    JsonNode until = cycles.path("until");
    JsonNode metric = until.get("metric");
    if (metric == null || !metric.isTextual() || metric.asText().isBlank()) {
      return null;
    }
    Double confidence = fraction(until.get("confidence"));
    return new CyclesTarget(
        integer(cycles.get("min")),
        integer(cycles.get("max")),
        metric.asText().strip(),
        fraction(until.get("relativeHalfWidth")),
        confidence == null || confidence <= 0 || confidence >= 1 ? DEFAULT_CONFIDENCE : confidence);
  }

  private static Integer integer(JsonNode n) {
    return n != null && n.canConvertToInt() && n.isIntegralNumber() ? n.asInt() : null;
  }

  /** A number as it is, or text "2%" as 0.02 (text without % as a number). */
  static Double fraction(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (!n.isTextual()) {
      return null;
    }
    String t = n.asText().strip();
    boolean percent = t.endsWith("%");
    try {
      double v = Double.parseDouble(percent ? t.substring(0, t.length() - 1).strip() : t);
      return percent ? v / 100 : v;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
