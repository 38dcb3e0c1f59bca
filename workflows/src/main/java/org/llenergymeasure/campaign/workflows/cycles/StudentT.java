package org.llenergymeasure.campaign.workflows.cycles;

/**
 * Quantiles of Student's t distribution, computed with {@link StrictMath} only, so every JVM gives
 * the same bits: workflow code decides with them (a replayed decision must be the same decision).
 * The distribution function is the regularized incomplete beta function, by its continued fraction;
 * the quantile is found by bisection, which needs nothing but comparisons. Accurate to about 1e-9,
 * far below the three decimals of printed t tables.
 */
public final class StudentT {

  private static final int BISECTIONS = 200;
  private static final int MAX_TERMS = 300;
  private static final double EPS = 1e-15;
  private static final double TINY = 1e-300;

  /** Lanczos approximation of ln Γ (g = 7, 9 coefficients). */
  private static final double[] LANCZOS = {
    0.99999999999980993,
    676.5203681218851,
    -1259.1392167224028,
    771.32342877765313,
    -176.61502916214059,
    12.507343278686905,
    -0.13857109526572012,
    9.9843695780195716e-6,
    1.5056327351493116e-7
  };

  private StudentT() {}

  /**
   * The two-sided critical value: the t with P(|T| ≤ t) = {@code confidence} for {@code df} degrees
   * of freedom (e.g. 12.706 for df 1 and 0.95).
   *
   * @param confidence strictly between 0 and 1
   * @param df at least 1
   */
  public static double critical(double confidence, int df) {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be between 0 and 1, not " + confidence);
    }
    if (df < 1) {
      throw new IllegalArgumentException("degrees of freedom must be at least 1, not " + df);
    }
    double target = (1 + confidence) / 2;
    double lo = 0;
    double hi = 1;
    while (cdf(hi, df) < target) {
      lo = hi;
      hi *= 2;
    }
    for (int i = 0; i < BISECTIONS && hi - lo > 0; i++) {
      double mid = lo + (hi - lo) / 2;
      if (mid <= lo || mid >= hi) {
        break;
      }
      if (cdf(mid, df) < target) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo + (hi - lo) / 2;
  }

  /** P(T ≤ t) for {@code df} degrees of freedom. */
  public static double cdf(double t, int df) {
    double x = df / (df + t * t);
    double tail = 0.5 * regularizedBeta(x, df / 2.0, 0.5);
    return t >= 0 ? 1 - tail : tail;
  }

  /** I_x(a, b), the regularized incomplete beta function. */
  static double regularizedBeta(double x, double a, double b) {
    if (x <= 0) {
      return 0;
    }
    if (x >= 1) {
      return 1;
    }
    double front =
        StrictMath.exp(
            lnGamma(a + b)
                - lnGamma(a)
                - lnGamma(b)
                + a * StrictMath.log(x)
                + b * StrictMath.log1p(-x));
    // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use symmetry otherwise.
    if (x < (a + 1) / (a + b + 2)) {
      return front * continuedFraction(x, a, b) / a;
    }
    return 1 - front * continuedFraction(1 - x, b, a) / b;
  }

  /** The continued fraction of I_x(a, b), by the modified Lentz method. */
  private static double continuedFraction(double x, double a, double b) {
    double c = 1;
    double d = nonZero(1 - (a + b) * x / (a + 1));
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= MAX_TERMS; m++) {
      int m2 = 2 * m;
      double even = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
      d = 1 / nonZero(1 + even * d);
      c = nonZero(1 + even / c);
      h *= d * c;
      double odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
      d = 1 / nonZero(1 + odd * d);
      c = nonZero(1 + odd / c);
      double step = d * c;
      h *= step;
      if (StrictMath.abs(step - 1) < EPS) {
        break;
      }
    }
    return h;
  }

  private static double nonZero(double v) {
    return StrictMath.abs(v) < TINY ? TINY : v;
  }

  /** ln Γ(z) for z > 0. */
  static double lnGamma(double z) {
    if (z < 0.5) {
      // Reflection: Γ(z) Γ(1 - z) = π / sin(π z).
      return StrictMath.log(StrictMath.PI / StrictMath.sin(StrictMath.PI * z)) - lnGamma(1 - z);
    }
    double zz = z - 1;
    double sum = LANCZOS[0];
    double t = zz + 7.5;
    for (int i = 1; i < LANCZOS.length; i++) {
      sum += LANCZOS[i] / (zz + i);
    }
    return 0.5 * StrictMath.log(2 * StrictMath.PI)
        + (zz + 0.5) * StrictMath.log(t)
        - t
        + StrictMath.log(sum);
  }
}
