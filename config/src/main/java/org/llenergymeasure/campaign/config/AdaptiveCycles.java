package org.llenergymeasure.campaign.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code execution.cycles: {min, max, until: {metric, relativeHalfWidth, confidence}}}: cycles 1 to
 * {@code min} always run; after each later cycle has ended, another is planned only for the
 * experiments whose Student-t interval of {@code metric} (over their valid runs) is not yet within
 * {@code relativeHalfWidth} of the mean, up to {@code max} cycles.
 *
 * @param min cycles that always run, at least 2 (an interval needs two values)
 * @param max the most cycles an experiment gets; {@link Execution#cycles()} holds it too
 * @param metric {@link #METRICS} or {@code result.<field>} (a numeric field of the run's result; a
 *     dotted path reaches into nested objects)
 * @param relativeHalfWidth the target, a fraction: 0.02 = the half-width at most 2 % of the mean
 * @param confidence the interval's confidence level, e.g. 0.95
 */
public record AdaptiveCycles(
    int min, int max, String metric, double relativeHalfWidth, double confidence) {

  /** The metrics a run's collect computes, by the names a campaign file uses. */
  public static final List<String> METRICS =
      List.of(
          "energyJ",
          "energyAdjustedJ",
          "energyPerTokenJ",
          "energyPerTokenAdjustedJ",
          "tokensPerSecond");

  /**
   * The most experiments a campaign with adaptive cycles may have: its continue-as-new state
   * carries each experiment's running statistics (about 65 bytes of JSON each) beside the packed
   * campaign, under the server's limit on one payload.
   */
  public static final int MAX_EXPERIMENTS = 5000;

  /** The prefix of a metric read from the run's result object. */
  public static final String RESULT_PREFIX = "result.";

  private static final Pattern RESULT_FIELD =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z_][A-Za-z0-9_-]*)*");

  /** Whether {@code name} is a metric the campaign file may name in {@code until.metric}. */
  public static boolean validMetric(String name) {
    return METRICS.contains(name)
        || (name.startsWith(RESULT_PREFIX)
            && RESULT_FIELD.matcher(name.substring(RESULT_PREFIX.length())).matches());
  }

  /** "min 3, max 20, until energyPerTokenJ ±2 % at 95 %". */
  public String describe() {
    return "min "
        + min
        + ", max "
        + max
        + ", until "
        + metric
        + " ±"
        + percent(relativeHalfWidth)
        + " % at "
        + percent(confidence)
        + " %";
  }

  /** A fraction as a percentage without needless digits: 0.02 → "2", 0.025 → "2.5". */
  static String percent(double fraction) {
    return new java.math.BigDecimal(Double.toString(fraction))
        .movePointRight(2)
        .stripTrailingZeros()
        .toPlainString();
  }
}
