package org.llenergymeasure.campaign.activities.measurement;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The per-run metrics of one attempt (the {@code metrics} of a ledger line, campaign-format.md
 * "Metrics"), from the host's measurement and the run's result; a value that is not known is null
 * (absent from the JSON). No I/O.
 *
 * <ul>
 *   <li>energy: the host's energy over the run's own window when it measured one ({@code
 *       host-window}), else over the whole await ({@code host}), else the result's {@code
 *       total_energy_j} ({@code result});
 *   <li>energyAdjustedJ: that energy minus the idle power at routing times the same window's
 *       duration (host sources only);
 *   <li>tokens: the result's {@code total_tokens}, else {@code input_tokens + output_tokens}, else
 *       {@code output_tokens};
 *   <li>tokensPerSecond: tokens over the duration of the same window as the energy (for the {@code
 *       result} source: the window the result reports, else its {@code total_inference_time_sec});
 *       when that duration is unknown, the result's own {@code avg_tokens_per_second}.
 * </ul>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "energyJ",
  "energyAdjustedJ",
  "energyPerTokenJ",
  "energyPerTokenAdjustedJ",
  "tokensPerSecond",
  "energySource"
})
public record AttemptMetrics(
    Double energyJ,
    Double energyAdjustedJ,
    Double energyPerTokenJ,
    Double energyPerTokenAdjustedJ,
    Double tokensPerSecond,
    String energySource) {

  public static final String ENERGY = "energyJ";
  public static final String ENERGY_ADJUSTED = "energyAdjustedJ";
  public static final String ENERGY_PER_TOKEN = "energyPerTokenJ";
  public static final String ENERGY_PER_TOKEN_ADJUSTED = "energyPerTokenAdjustedJ";
  public static final String TOKENS_PER_SECOND = "tokensPerSecond";
  public static final String RESULT_PREFIX = "result.";

  public static final String HOST_WINDOW = "host-window";
  public static final String HOST = "host";
  public static final String RESULT = "result";

  /** The metrics of an attempt; {@code host} and {@code result} may each be null. */
  public static AttemptMetrics of(HostMeasurement host, JsonNode result) {
    Basis b = Basis.of(host, result);
    Double tokens = tokens(result);
    boolean perToken = tokens != null && tokens > 0;
    return new AttemptMetrics(
        b.energy,
        b.adjusted,
        perToken && b.energy != null ? b.energy / tokens : null,
        perToken && b.adjusted != null ? b.adjusted / tokens : null,
        tokens != null && b.durationS != null && b.durationS > 0
            ? (Double) (tokens / b.durationS)
            : result == null ? null : number(result.get("avg_tokens_per_second")),
        b.source);
  }

  /** Whether {@code metric} is one of the names a campaign may ask for. */
  public static boolean known(String metric) {
    return List.of(
                ENERGY,
                ENERGY_ADJUSTED,
                ENERGY_PER_TOKEN,
                ENERGY_PER_TOKEN_ADJUSTED,
                TOKENS_PER_SECOND)
            .contains(metric)
        || metric.startsWith(RESULT_PREFIX) && metric.length() > RESULT_PREFIX.length();
  }

  /**
   * The value of {@code metric} for an attempt with this {@code result}, or why it is unknown.
   *
   * @param metric one of the five names or {@code result.<field>} (a dotted path into the result)
   */
  public Value value(String metric, JsonNode result) {
    if (metric.startsWith(RESULT_PREFIX)) {
      String path = metric.substring(RESULT_PREFIX.length());
      JsonNode n = result;
      for (String part : path.split("\\.", -1)) {
        n = n == null || !n.isObject() ? null : n.get(part);
      }
      return n != null && n.isNumber() && Double.isFinite(n.asDouble())
          ? Value.of(n.asDouble())
          : Value.missing(metric, "the result has no numeric field " + path);
    }
    String noEnergy = "neither the host nor the result measured energy (no total_energy_j)";
    String noTokens =
        "the result reports no total_tokens (nor input_tokens and output_tokens, nor"
            + " output_tokens)";
    return switch (metric) {
      case ENERGY -> Value.of(energyJ, metric, noEnergy);
      case ENERGY_ADJUSTED -> Value.of(energyAdjustedJ, metric, noAdjusted(noEnergy));
      case ENERGY_PER_TOKEN ->
          Value.of(
              energyPerTokenJ, metric, energyJ == null ? noEnergy : tokensWhy(noTokens, result));
      case ENERGY_PER_TOKEN_ADJUSTED ->
          Value.of(
              energyPerTokenAdjustedJ,
              metric,
              energyAdjustedJ == null ? noAdjusted(noEnergy) : tokensWhy(noTokens, result));
      case TOKENS_PER_SECOND ->
          Value.of(
              tokensPerSecond,
              metric,
              tokens(result) == null
                  ? noTokens
                  : "the duration of the window the energy was measured over is unknown");
      default -> Value.missing(metric, "it is not a metric");
    };
  }

  private String noAdjusted(String noEnergy) {
    return energyJ == null
        ? noEnergy
        : RESULT.equals(energySource)
            ? "the energy is the result's total_energy_j and the host measured no idle power"
            : "the host measured no idle power at routing";
  }

  private static String tokensWhy(String noTokens, JsonNode result) {
    return tokens(result) == null ? noTokens : "the result reports 0 tokens";
  }

  /**
   * The run's token count: {@code total_tokens}, else {@code input_tokens + output_tokens}, else
   * {@code output_tokens} (llenergymeasure 0.7.0 writes null in {@code total_tokens}); null when
   * none is a number.
   */
  public static Double tokens(JsonNode result) {
    if (result == null) {
      return null;
    }
    Double total = number(result.get("total_tokens"));
    Double input = number(result.get("input_tokens"));
    Double output = number(result.get("output_tokens"));
    if (total != null) {
      return total;
    }
    return input != null && output != null ? (Double) (input + output) : output;
  }

  /** A finite number, or a string holding one; null for anything else. */
  static Double number(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    double v;
    if (n.isNumber()) {
      v = n.asDouble();
    } else if (n.isTextual()) {
      try {
        v = Double.parseDouble(n.asText().strip());
      } catch (NumberFormatException e) {
        return null;
      }
    } else {
      return null;
    }
    return Double.isFinite(v) ? v : null;
  }

  /**
   * A metric's value, or why it is unknown.
   *
   * @param value null when unknown
   * @param missing e.g. "the result reports no total_tokens ..., so energyPerTokenJ is unknown"
   */
  public record Value(Double value, String missing) {

    static Value of(double v) {
      return new Value(v, null);
    }

    static Value of(Double v, String metric, String why) {
      return v != null ? new Value(v, null) : missing(metric, why);
    }

    static Value missing(String metric, String why) {
      return new Value(null, why + ", so " + metric + " is unknown");
    }

    @JsonIgnore
    public boolean known() {
      return value != null;
    }
  }

  /** Which energy, over which duration. */
  private record Basis(Double energy, Double adjusted, Double durationS, String source) {

    static Basis of(HostMeasurement host, JsonNode result) {
      if (host != null) {
        MeasuredWindow w = host.window();
        if (w != null && w.energyJ() != null) {
          Double adjusted =
              w.energyAdjustedJ() != null
                  ? w.energyAdjustedJ()
                  : HostMeasurement.adjusted(w.energyJ(), host.idlePowerW(), w.durationS());
          return new Basis(w.energyJ(), adjusted, w.durationS(), HOST_WINDOW);
        }
        if (host.energyJ() != null) {
          return new Basis(host.energyJ(), host.energyAdjustedJ(), host.durationS(), HOST);
        }
      }
      Double energy = result == null ? null : number(result.get("total_energy_j"));
      if (energy == null) {
        return new Basis(null, null, null, null);
      }
      return new Basis(energy, null, resultDuration(result), RESULT);
    }

    private static Double resultDuration(JsonNode result) {
      var reported = ReportedWindow.of(result, ZoneOffset.UTC);
      if (reported.isPresent() && !reported.get().readings().isEmpty()) {
        ReportedWindow.Reading r = reported.get().readings().get(0);
        return (r.endMs() - r.startMs()) / 1000.0;
      }
      return number(result.get("total_inference_time_sec"));
    }
  }
}
