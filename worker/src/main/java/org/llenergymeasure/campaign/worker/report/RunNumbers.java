package org.llenergymeasure.campaign.worker.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One attempt's metrics and validity as the ledger line gives them: its {@code metrics} object, or
 * for a line written before there was one, what {@link DerivedMetrics} derives; its {@code
 * validity} object, or for an older line none (then a completed attempt is valid).
 *
 * @param values each metric known (absent when unknown)
 * @param energySource {@code host-window}, {@code host} or {@code result}; null without energy
 * @param derived true when the line had no {@code metrics} object
 * @param validFlag {@code validity.valid}; null when the line has none
 * @param reasons {@code validity.reasons} (warnings on a valid run, failures on an invalid one)
 */
public record RunNumbers(
    Map<ReportMetric, Double> values,
    String energySource,
    boolean derived,
    Boolean validFlag,
    List<String> reasons) {

  public static final RunNumbers NONE = new RunNumbers(Map.of(), null, true, null, List.of());

  /** The metrics of a line and the source of its energy. */
  record Values(Map<ReportMetric, Double> values, String energySource) {}

  public RunNumbers {
    values = values.isEmpty() ? Map.of() : new EnumMap<>(values);
    reasons = List.copyOf(reasons);
  }

  public static RunNumbers of(JsonNode line) {
    if (line == null || !line.isObject()) {
      return NONE;
    }
    JsonNode metrics = line.get("metrics");
    Values v;
    boolean derived = metrics == null || !metrics.isObject();
    if (derived) {
      v = DerivedMetrics.of(line);
    } else {
      Map<ReportMetric, Double> values = new EnumMap<>(ReportMetric.class);
      for (ReportMetric m : ReportMetric.values()) {
        Double d = UpstreamResult.number(metrics.get(m.key()));
        if (d != null) {
          values.put(m, d);
        }
      }
      JsonNode source = metrics.get("energySource");
      v = new Values(values, source != null && source.isTextual() ? source.asText() : null);
    }
    JsonNode validity = line.path("validity");
    JsonNode valid = validity.get("valid");
    List<String> reasons = new ArrayList<>();
    validity.path("reasons").forEach(r -> reasons.add(r.asText()));
    return new RunNumbers(
        v.values(),
        v.energySource(),
        derived,
        valid != null && valid.isBoolean() ? valid.asBoolean() : null,
        reasons);
  }

  /** The metric's value, or null when unknown. */
  public Double get(ReportMetric m) {
    return values.get(m);
  }

  /** Whether the line's validity verdict does not rule the attempt out (older lines have none). */
  public boolean notInvalid() {
    return !Boolean.FALSE.equals(validFlag);
  }
}
