package org.llenergymeasure.campaign.workflows.cycles;

/**
 * A confidence interval of a mean: {@code mean ± halfWidth}.
 *
 * @param n the values it was taken over
 * @param confidence e.g. 0.95
 */
public record Interval(int n, double mean, double halfWidth, double confidence) {

  public double low() {
    return mean - halfWidth;
  }

  public double high() {
    return mean + halfWidth;
  }

  /**
   * The half-width relative to the mean's magnitude (0.02 = ±2 %); infinite at a zero mean, which
   * no relative target can be met at.
   */
  public double relativeHalfWidth() {
    return mean == 0 ? Double.POSITIVE_INFINITY : halfWidth / StrictMath.abs(mean);
  }

  /** Whether the relative half-width is at most {@code target} (a fraction). */
  public boolean within(double target) {
    return relativeHalfWidth() <= target;
  }

  /** Whether two intervals share any value: their difference is not established. */
  public boolean overlaps(Interval other) {
    return low() <= other.high() && other.low() <= high();
  }
}
