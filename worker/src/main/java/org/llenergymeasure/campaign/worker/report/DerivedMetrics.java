package org.llenergymeasure.campaign.worker.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumMap;
import java.util.Map;

/**
 * The per-run metrics of a ledger line written before lines carried a {@code metrics} object,
 * derived from what such a line has, by the same rules:
 *
 * <ul>
 *   <li>energy: {@code hostMeasurement.window.energyJ} (source {@code host-window}), else {@code
 *       hostMeasurement.energyJ} ({@code host}), else the result's {@code total_energy_j} ({@code
 *       result}); the window's duration is the one of the energy taken ({@code window.durationS},
 *       {@code hostMeasurement.durationS}, and for the result's energy the run's reported window
 *       when the host measured one);
 *   <li>idle-adjusted energy: energy − {@code hostMeasurement.idlePowerW} × that duration; absent
 *       without the idle power or the duration;
 *   <li>tokens: the result's {@code total_tokens}, else {@code input_tokens + output_tokens}, else
 *       {@code output_tokens} (as for llenergymeasure's results);
 *   <li>energy per token (also idle-adjusted): the energy over a positive token count;
 *   <li>throughput: tokens over that duration, else the result's {@code avg_tokens_per_second}.
 * </ul>
 */
final class DerivedMetrics {

  private DerivedMetrics() {}

  /** What {@code line} gives of each metric (absent when unknown), and the energy's source. */
  static RunNumbers.Values of(JsonNode line) {
    JsonNode host = line.path("hostMeasurement");
    JsonNode window = host.path("window");
    JsonNode result = line.path("result");
    Double energy = UpstreamResult.number(window.get("energyJ"));
    Double duration = UpstreamResult.number(window.get("durationS"));
    String source = "host-window";
    if (energy == null) {
      energy = UpstreamResult.number(host.get("energyJ"));
      source = "host";
      if (energy != null) {
        duration = UpstreamResult.number(host.get("durationS"));
      } else {
        energy = UpstreamResult.number(result.get("total_energy_j"));
        source = energy == null ? null : "result";
      }
    }
    Map<ReportMetric, Double> values = new EnumMap<>(ReportMetric.class);
    Double idle = UpstreamResult.number(host.get("idlePowerW"));
    Double tokens = tokens(result);
    put(values, ReportMetric.ENERGY, energy);
    if (energy != null && idle != null && duration != null) {
      put(values, ReportMetric.ENERGY_ADJUSTED, energy - idle * duration);
    }
    if (tokens != null && tokens > 0) {
      put(
          values,
          ReportMetric.ENERGY_PER_TOKEN,
          energy == null ? null : Double.valueOf(energy / tokens));
      Double adjusted = values.get(ReportMetric.ENERGY_ADJUSTED);
      put(
          values,
          ReportMetric.ENERGY_PER_TOKEN_ADJUSTED,
          adjusted == null ? null : Double.valueOf(adjusted / tokens));
    }
    Double perSecond =
        tokens != null && duration != null && duration > 0
            ? Double.valueOf(tokens / duration)
            : UpstreamResult.number(result.get("avg_tokens_per_second"));
    put(values, ReportMetric.TOKENS_PER_SECOND, perSecond);
    return new RunNumbers.Values(values, source);
  }

  static Double tokens(JsonNode result) {
    Double total = UpstreamResult.number(result.get("total_tokens"));
    if (total != null) {
      return total;
    }
    Double input = UpstreamResult.number(result.get("input_tokens"));
    Double output = UpstreamResult.number(result.get("output_tokens"));
    return input != null && output != null ? Double.valueOf(input + output) : output;
  }

  private static void put(Map<ReportMetric, Double> values, ReportMetric m, Double v) {
    if (v != null && Double.isFinite(v)) {
      values.put(m, v);
    }
  }
}
