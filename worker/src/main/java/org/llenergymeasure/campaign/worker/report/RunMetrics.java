package org.llenergymeasure.campaign.worker.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The measurement fields a report shows, read from a run's result object when present. Nothing is
 * required: a result is any JSON object, and a missing field stays null.
 *
 * @param energyJ {@code total_energy_j}
 * @param energyAdjustedJ {@code energy_adjusted_j} (baseline subtracted)
 * @param devices how many values {@code energy_per_device_j} has (null when absent)
 * @param tokensPerSecond {@code avg_tokens_per_second}
 * @param tokens {@code total_tokens}, else {@code output_tokens}
 * @param simulated {@code simulated} (true on captured-inventory hosts: nothing was measured)
 * @param thermalThrottle {@code thermal_throttle} as given (true/false or a description)
 * @param warnings {@code measurement_warnings}
 */
public record RunMetrics(
    Double energyJ,
    Double energyAdjustedJ,
    Integer devices,
    Double tokensPerSecond,
    Double tokens,
    Boolean simulated,
    String thermalThrottle,
    List<String> warnings) {

  public static final RunMetrics NONE =
      new RunMetrics(null, null, null, null, null, null, null, List.of());

  public RunMetrics {
    warnings = List.copyOf(warnings);
  }

  public static RunMetrics of(JsonNode result) {
    if (result == null || !result.isObject()) {
      return NONE;
    }
    JsonNode perDevice = result.get("energy_per_device_j");
    Double tokens = number(result, "total_tokens");
    if (tokens == null) {
      tokens = number(result, "output_tokens");
    }
    JsonNode simulated = result.get("simulated");
    return new RunMetrics(
        number(result, "total_energy_j"),
        number(result, "energy_adjusted_j"),
        (perDevice != null && perDevice.isContainerNode())
            ? Integer.valueOf(perDevice.size())
            : null,
        number(result, "avg_tokens_per_second"),
        tokens,
        (simulated != null && simulated.isBoolean()) ? simulated.asBoolean() : null,
        text(result.get("thermal_throttle")),
        warnings(result.get("measurement_warnings")));
  }

  /** Joules per token, when both energy and a positive token count are present. */
  public Double energyPerTokenJ() {
    return energyJ != null && tokens != null && tokens > 0 ? energyJ / tokens : null;
  }

  private static Double number(JsonNode result, String field) {
    JsonNode n = result.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (n.isTextual()) {
      try {
        return Double.parseDouble(n.asText().strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static String text(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    return n.isValueNode() ? n.asText() : n.toString();
  }

  private static List<String> warnings(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (n.isArray()) {
      n.forEach(w -> out.add(w.isValueNode() ? w.asText() : w.toString()));
    } else {
      out.add(n.isValueNode() ? n.asText() : n.toString());
    }
    return out;
  }
}
