package org.llenergymeasure.campaign.worker.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.EnumMap;
import java.util.Map;
import org.llenergymeasure.campaign.activities.measurement.AttemptMetrics;
import org.llenergymeasure.campaign.activities.measurement.HostMeasurement;

/**
 * The per-run metrics of a ledger line written before lines carried a {@code metrics} object: the
 * line's host measurement and result go through {@link AttemptMetrics#of}, the very rules the
 * worker applies when it writes a line today, so an old ledger and a new one report alike.
 */
final class DerivedMetrics {

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private DerivedMetrics() {}

  /** What {@code line} gives of each metric (absent when unknown), and the energy's source. */
  static RunNumbers.Values of(JsonNode line) {
    JsonNode result = line.get("result");
    AttemptMetrics m =
        AttemptMetrics.of(host(line.get("hostMeasurement")), result == null ? null : result);
    Map<ReportMetric, Double> values = new EnumMap<>(ReportMetric.class);
    put(values, ReportMetric.ENERGY, m.energyJ());
    put(values, ReportMetric.ENERGY_ADJUSTED, m.energyAdjustedJ());
    put(values, ReportMetric.ENERGY_PER_TOKEN, m.energyPerTokenJ());
    put(values, ReportMetric.ENERGY_PER_TOKEN_ADJUSTED, m.energyPerTokenAdjustedJ());
    put(values, ReportMetric.TOKENS_PER_SECOND, m.tokensPerSecond());
    return new RunNumbers.Values(values, m.energySource());
  }

  /** The line's host measurement, or null when it has none or it cannot be read as one. */
  private static HostMeasurement host(JsonNode node) {
    if (node == null || !node.isObject()) {
      return null;
    }
    try {
      return JSON.treeToValue(node, HostMeasurement.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
      return null;
    }
  }

  private static void put(Map<ReportMetric, Double> values, ReportMetric m, Double v) {
    if (v != null && Double.isFinite(v)) {
      values.put(m, v);
    }
  }
}
