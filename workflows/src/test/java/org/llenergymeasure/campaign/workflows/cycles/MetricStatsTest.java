package org.llenergymeasure.campaign.workflows.cycles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Worked examples: each expected figure is computed by hand from the textbook formulas. */
class MetricStatsTest {

  private static MetricStats of(double... values) {
    MetricStats s = MetricStats.EMPTY;
    for (double v : values) {
      s = s.add(v);
    }
    return s;
  }

  @Test
  void twoValuesGiveTheWidestInterval() {
    // mean 11, sd sqrt(2), half-width 12.706 * sqrt(2) / sqrt(2) = 12.706.
    Interval i = of(10, 12).interval(0.95);
    assertEquals(2, i.n());
    assertEquals(11.0, i.mean());
    assertEquals(12.706, i.halfWidth(), 6e-4);
    assertEquals(12.706 / 11, i.relativeHalfWidth(), 1e-4);
    assertFalse(i.within(0.02));
  }

  @Test
  void fiveValues() {
    // 1..5: mean 3, sd sqrt(2.5) = 1.58114, half-width 2.776 * 1.58114 / sqrt(5) = 1.96293.
    MetricStats s = of(1, 2, 3, 4, 5);
    assertEquals(1.58114, s.standardDeviation(), 1e-5);
    assertEquals(1.9629, s.interval(0.95).halfWidth(), 5e-4);
    assertEquals(1.58114 / 3, s.coefficientOfVariation(), 1e-5);
  }

  @Test
  void thirtyValues() {
    // 1..30: mean 15.5, variance n(n+1)/12 = 77.5, half-width 2.045 * sqrt(77.5) / sqrt(30).
    MetricStats s = MetricStats.EMPTY;
    for (int v = 1; v <= 30; v++) {
      s = s.add(v);
    }
    assertEquals(15.5, s.mean(), 1e-12);
    assertEquals(Math.sqrt(77.5), s.standardDeviation(), 1e-9);
    assertEquals(2.045 * Math.sqrt(77.5) / Math.sqrt(30), s.interval(0.95).halfWidth(), 2e-3);
  }

  @Test
  void aTightSampleMeetsATwoPercentTarget() {
    // 100, 101, 99, 100, 100: sd sqrt(0.5), half-width 2.776 * 0.7071 / 2.2361 = 0.878 (0.88 %).
    Interval i = of(100, 101, 99, 100, 100).interval(0.95);
    assertEquals(0.8779, i.halfWidth(), 5e-4);
    assertTrue(i.within(0.02));
    assertFalse(i.within(0.005));
  }

  @Test
  void oneValueHasNoInterval() {
    assertNull(of(42).interval(0.95));
    assertTrue(Double.isNaN(of(42).standardDeviation()));
  }

  @Test
  void overlapIsSymmetric() {
    Interval a = new Interval(3, 10, 1, 0.95);
    Interval b = new Interval(3, 11.5, 1, 0.95);
    Interval c = new Interval(3, 13, 0.5, 0.95);
    assertTrue(a.overlaps(b));
    assertTrue(b.overlaps(a));
    assertFalse(a.overlaps(c));
    assertFalse(c.overlaps(a));
  }

  @Test
  void aZeroMeanNeverMeetsARelativeTarget() {
    assertFalse(of(-1, 1).interval(0.95).within(10));
  }
}
