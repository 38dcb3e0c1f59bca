package org.llenergymeasure.campaign.worker.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * llenergymeasure's own result JSON ({@code <config_hash>_result.json}), as a completed
 * llenergymeasure run's ledger line carries it in {@code result}, mapped from either of its shapes:
 * schema 3.0 of its current code ({@code schema_version}, top-level {@code baseline_power_w},
 * {@code thermal_throttle}) or its release 0.7.0 ({@code bundle_version}, the baseline only in
 * {@code energy_breakdown}, {@code throttle}, {@code total_tokens} null beside {@code
 * input_tokens}/{@code output_tokens}). docs/llenergymeasure.md lists the source of each field.
 * Every field is null when the result does not give it as a number (or a boolean for {@code
 * throttled}): nothing here throws on a result, whatever it holds.
 *
 * @param shape "schema 3.0" ({@code schema_version}) or "bundle 2.0" ({@code bundle_version})
 * @param version {@code llenergymeasure_version}
 * @param energyJ {@code total_energy_j}
 * @param tokens {@code total_tokens}, else input + output tokens, else output tokens
 * @param tokensSource which fields {@code tokens} came from (null when absent)
 * @param jPerToken {@code avg_energy_per_token_j}, as llenergymeasure computed it
 * @param tokensPerS {@code avg_tokens_per_second}
 * @param inferenceS {@code total_inference_time_sec}
 * @param adjustedEnergyJ {@code energy_adjusted_j}, else {@code energy_breakdown.adjusted_j}
 * @param baselinePowerW {@code baseline_power_w}, else {@code energy_breakdown.baseline_power_w}
 * @param throttled {@code thermal_throttle.detected} (3.0), else {@code throttle.detected} (0.7.0)
 * @param warnings {@code measurement_warnings} then {@code aggregation.warnings}
 */
public record UpstreamResult(
    String shape,
    String version,
    Double energyJ,
    Double tokens,
    String tokensSource,
    Double jPerToken,
    Double tokensPerS,
    Double inferenceS,
    Double adjustedEnergyJ,
    Double baselinePowerW,
    Boolean throttled,
    List<String> warnings) {

  public static final String TOTAL = "total_tokens";
  public static final String INPUT_PLUS_OUTPUT = "input_tokens + output_tokens";
  public static final String OUTPUT_ONLY = "output_tokens";

  public UpstreamResult {
    warnings = List.copyOf(warnings);
  }

  /**
   * Whether a run's result is llenergymeasure's own: an object with both {@code total_energy_j} and
   * {@code avg_energy_per_token_j} (whatever their values) and a shape marker ({@code
   * schema_version}, {@code bundle_version} or {@code llenergymeasure_version}). Results of other
   * workloads that borrow the two energy field names carry no shape marker and stay untouched.
   */
  public static boolean recognises(JsonNode result) {
    return result != null
        && result.isObject()
        && result.has("total_energy_j")
        && result.has("avg_energy_per_token_j")
        && (result.has("schema_version")
            || result.has("bundle_version")
            || result.has("llenergymeasure_version"));
  }

  /** The mapped result, or null when {@code result} is not llenergymeasure's own. */
  public static UpstreamResult of(JsonNode result) {
    if (!recognises(result)) {
      return null;
    }
    JsonNode breakdown = result.path("energy_breakdown");
    Double adjusted = number(result.get("energy_adjusted_j"));
    if (adjusted == null) {
      adjusted = number(breakdown.get("adjusted_j"));
    }
    Double baseline = number(result.get("baseline_power_w"));
    if (baseline == null) {
      baseline = number(breakdown.get("baseline_power_w"));
    }
    Boolean throttled = detected(result.get("thermal_throttle"));
    if (throttled == null) {
      throttled = detected(result.get("throttle"));
    }
    List<String> warnings = new ArrayList<>(strings(result.get("measurement_warnings")));
    warnings.addAll(strings(result.path("aggregation").get("warnings")));
    Double total = number(result.get(TOTAL));
    Double input = number(result.get("input_tokens"));
    Double output = number(result.get(OUTPUT_ONLY));
    Double tokens;
    String source;
    if (total != null) {
      tokens = total;
      source = TOTAL;
    } else if (input != null && output != null) {
      tokens = input + output;
      source = INPUT_PLUS_OUTPUT;
    } else {
      tokens = output;
      source = output == null ? null : OUTPUT_ONLY;
    }
    return new UpstreamResult(
        shape(result),
        text(result.get("llenergymeasure_version")),
        number(result.get("total_energy_j")),
        tokens,
        source,
        number(result.get("avg_energy_per_token_j")),
        number(result.get("avg_tokens_per_second")),
        number(result.get("total_inference_time_sec")),
        adjusted,
        baseline,
        throttled,
        warnings);
  }

  /** {@code results --json}'s {@code llenergymeasure} object (absent fields as null). */
  public Map<String, Object> toJson() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("shape", shape);
    out.put("version", version);
    out.put("energyJ", energyJ);
    out.put("tokens", tokens);
    out.put("tokensSource", tokensSource);
    out.put("jPerToken", jPerToken);
    out.put("tokensPerS", tokensPerS);
    out.put("inferenceS", inferenceS);
    out.put("adjustedEnergyJ", adjustedEnergyJ);
    out.put("baselinePowerW", baselinePowerW);
    out.put("throttled", throttled);
    out.put("warnings", warnings);
    return out;
  }

  private static String shape(JsonNode result) {
    String schema = text(result.get("schema_version"));
    if (schema != null) {
      return "schema " + schema;
    }
    String bundle = text(result.get("bundle_version"));
    return bundle == null ? null : "bundle " + bundle;
  }

  /** A finite number, or a string holding one; null for anything else. */
  static Double number(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    Double v = null;
    if (n.isNumber()) {
      v = n.asDouble();
    } else if (n.isTextual()) {
      try {
        v = Double.parseDouble(n.asText().strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return v == null || v.isNaN() || v.isInfinite() ? null : v;
  }

  private static Boolean detected(JsonNode throttle) {
    if (throttle == null) {
      return null;
    }
    JsonNode d = throttle.isObject() ? throttle.get("detected") : throttle;
    return d != null && d.isBoolean() ? d.asBoolean() : null;
  }

  private static String text(JsonNode n) {
    return n != null && n.isValueNode() && !n.isNull() ? n.asText() : null;
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n != null && n.isArray()) {
      n.forEach(w -> out.add(w.isValueNode() ? w.asText() : w.toString()));
    } else if (n != null && n.isTextual()) {
      out.add(n.asText());
    }
    return out;
  }
}
