package org.llenergymeasure.campaign.worker.report;

import java.util.List;

/**
 * How one metric spreads over an experiment's cycles: count, mean, sample standard deviation (n-1;
 * 0 for a single value), min and max.
 */
public record Spread(int n, double mean, double sd, double min, double max) {

  /** The spread of the values, or null when there are none. */
  public static Spread of(List<Double> values) {
    if (values.isEmpty()) {
      return null;
    }
    int n = values.size();
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double mean = sum / n;
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    double sd = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
    return new Spread(n, mean, sd, min, max);
  }

  /** Coefficient of variation in percent, or null when the mean is 0. */
  public Double cvPercent() {
    return mean == 0 ? null : 100 * sd / Math.abs(mean);
  }
}
