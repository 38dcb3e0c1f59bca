package org.llenergymeasure.campaign.workflows.cycles;

/**
 * The running statistics of one experiment's metric over its valid runs (Welford's update: the
 * count, the mean and the sum of squared deviations), small enough to carry across continue-as-new
 * and exact to replay: plain double arithmetic is IEEE-strict in Java 17 and the square root is
 * {@link StrictMath}'s.
 *
 * @param n how many values
 * @param mean their mean; 0 when n is 0
 * @param m2 the sum of squared deviations from the mean
 */
public record MetricStats(int n, double mean, double m2) {

  public static final MetricStats EMPTY = new MetricStats(0, 0, 0);

  /** These statistics with one more value. */
  public MetricStats add(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("a metric value must be finite, not " + value);
    }
    int n1 = n + 1;
    double delta = value - mean;
    double mean1 = mean + delta / n1;
    return new MetricStats(n1, mean1, m2 + delta * (value - mean1));
  }

  /** The sample standard deviation (n - 1 in the denominator); NaN below 2 values. */
  public double standardDeviation() {
    return n < 2 ? Double.NaN : StrictMath.sqrt(m2 / (n - 1));
  }

  /** The coefficient of variation, sd / |mean|; NaN below 2 values or at a zero mean. */
  public double coefficientOfVariation() {
    return n < 2 || mean == 0 ? Double.NaN : standardDeviation() / StrictMath.abs(mean);
  }

  /**
   * The Student-t confidence interval of the mean; null below 2 values (one value has no spread).
   */
  public Interval interval(double confidence) {
    if (n < 2) {
      return null;
    }
    double half = StudentT.critical(confidence, n - 1) * standardDeviation() / StrictMath.sqrt(n);
    return new Interval(n, mean, half, confidence);
  }
}
