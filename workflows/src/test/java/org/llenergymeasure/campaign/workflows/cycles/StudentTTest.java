package org.llenergymeasure.campaign.workflows.cycles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The two-sided critical values against a printed t table (three decimals). */
class StudentTTest {

  /** Two-sided 95 %, df 1..29, as printed in standard t tables. */
  private static final double[] T95 = {
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
    2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
    2.052, 2.048, 2.045
  };

  @Test
  void ninetyFivePercentMatchesTheTableForTwoToThirtyValues() {
    for (int df = 1; df <= T95.length; df++) {
      assertEquals(T95[df - 1], StudentT.critical(0.95, df), 6e-4, String.format("df %d", df));
    }
  }

  @Test
  void otherConfidencesMatchTheTable() {
    int[] dfs = {1, 2, 3, 4, 5, 10, 20, 29};
    double[] t90 = {6.314, 2.920, 2.353, 2.132, 2.015, 1.812, 1.725, 1.699};
    double[] t99 = {63.657, 9.925, 5.841, 4.604, 4.032, 3.169, 2.845, 2.756};
    for (int i = 0; i < dfs.length; i++) {
      assertEquals(
          t90[i], StudentT.critical(0.90, dfs[i]), 6e-4, String.format("90%% df %d", dfs[i]));
      assertEquals(
          t99[i], StudentT.critical(0.99, dfs[i]), 6e-4, String.format("99%% df %d", dfs[i]));
    }
  }

  @Test
  void largeSamplesApproachTheNormalQuantile() {
    assertEquals(1.95996, StudentT.critical(0.95, 100_000), 1e-4);
  }

  @Test
  void theDistributionFunctionIsSymmetricAndExactAtKnownPoints() {
    // df 1 is the Cauchy distribution: P(T <= 1) = 3/4.
    assertEquals(0.75, StudentT.cdf(1, 1), 1e-12);
    // df 2 has the closed form 1/2 + t / (2 sqrt(2 + t^2)).
    assertEquals(0.5 + 3 / (2 * Math.sqrt(11)), StudentT.cdf(3, 2), 1e-12);
    assertEquals(1, StudentT.cdf(-3, 2) + StudentT.cdf(3, 2), 1e-12);
  }

  @Test
  void refusesWhatHasNoQuantile() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> StudentT.critical(1.0, 5))
            .getMessage()
            .contains("confidence"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> StudentT.critical(0.95, 0))
            .getMessage()
            .contains("degrees of freedom"));
  }
}
