package org.llenergymeasure.campaign.worker.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A line's metrics: the {@code metrics} object where the line has one, else derived from the host
 * measurement and the result as lines written before had them.
 */
class RunNumbersTest {

  private static final double EPS = 1e-9;

  @TempDir Path results;

  @Test
  void aLineWithMetricsIsTakenAsWrittenAndOlderLinesAreDerived() throws Exception {
    ReportData data =
        new NumbersLedger(results, "mix")
            // New: the result's 999 J must not be used; metrics and validity as written.
            .line(
                "new",
                1,
                1,
                "completed",
                "\"result\": {\"total_energy_j\": 999, \"total_tokens\": 10}, \"metrics\":"
                    + " {\"energyJ\": 120.5, \"energyAdjustedJ\": 100.5, \"energyPerTokenJ\":"
                    + " 0.1205, \"energyPerTokenAdjustedJ\": 0.1005, \"tokensPerSecond\": 50,"
                    + " \"energySource\": \"host-window\"}, \"validity\": {\"valid\": true,"
                    + " \"reasons\": [\"SAMPLE_GAP\"], \"notes\": []}")
            // Old, window: 130 J over 10 s, idle 5 W: adjusted 130 - 5 x 10 = 80 J.
            .line(
                "window",
                1,
                1,
                "completed",
                "\"result\": {\"total_energy_j\": 125, \"total_tokens\": 1000},"
                    + " \"hostMeasurement\": {\"energyJ\": 150, \"durationS\": 12,"
                    + " \"idlePowerW\": 5, \"window\": {\"energyJ\": 130, \"durationS\": 10}}")
            // Old, whole await: 150 J over 12 s, idle 5 W: 90 J; tokens 200 + 400 (0.7.0).
            .line(
                "await",
                1,
                1,
                "completed",
                "\"result\": {\"total_tokens\": null, \"input_tokens\": 200, \"output_tokens\":"
                    + " 400, \"avg_tokens_per_second\": 7}, \"hostMeasurement\": {\"energyJ\":"
                    + " 150, \"durationS\": 12, \"idlePowerW\": 5}")
            // Old, no host measurement: the result's own energy and throughput.
            .line(
                "result",
                1,
                1,
                "completed",
                "\"result\": {\"total_energy_j\": 90, \"total_tokens\": 300,"
                    + " \"avg_tokens_per_second\": 25}")
            .load(null);
    List<AttemptRecord> runs = data.runs();
    assertEquals(4, runs.size(), "a line with fields the entry does not map is still read");

    RunNumbers fresh = runs.get(0).numbers();
    assertFalse(fresh.derived());
    assertEquals("host-window", fresh.energySource());
    assertEquals(120.5, fresh.get(ReportMetric.ENERGY), EPS);
    assertEquals(100.5, fresh.get(ReportMetric.ENERGY_ADJUSTED), EPS);
    assertEquals(0.1205, fresh.get(ReportMetric.ENERGY_PER_TOKEN), EPS);
    assertEquals(0.1005, fresh.get(ReportMetric.ENERGY_PER_TOKEN_ADJUSTED), EPS);
    assertEquals(50, fresh.get(ReportMetric.TOKENS_PER_SECOND), EPS);
    assertEquals(List.of("SAMPLE_GAP"), fresh.reasons());
    assertTrue(runs.get(0).valid(), "a warn-mode reason keeps the run valid");

    RunNumbers window = runs.get(1).numbers();
    assertTrue(window.derived());
    assertEquals("host-window", window.energySource());
    assertEquals(130, window.get(ReportMetric.ENERGY), EPS);
    assertEquals(80, window.get(ReportMetric.ENERGY_ADJUSTED), EPS);
    assertEquals(0.13, window.get(ReportMetric.ENERGY_PER_TOKEN), EPS);
    assertEquals(0.08, window.get(ReportMetric.ENERGY_PER_TOKEN_ADJUSTED), EPS);
    assertEquals(100, window.get(ReportMetric.TOKENS_PER_SECOND), EPS);
    assertTrue(runs.get(1).valid(), "a line without validity is valid when completed");

    RunNumbers await = runs.get(2).numbers();
    assertEquals("host", await.energySource());
    assertEquals(150, await.get(ReportMetric.ENERGY), EPS);
    assertEquals(90, await.get(ReportMetric.ENERGY_ADJUSTED), EPS);
    assertEquals(0.25, await.get(ReportMetric.ENERGY_PER_TOKEN), EPS);
    assertEquals(0.15, await.get(ReportMetric.ENERGY_PER_TOKEN_ADJUSTED), EPS);
    assertEquals(50, await.get(ReportMetric.TOKENS_PER_SECOND), EPS);

    RunNumbers result = runs.get(3).numbers();
    assertEquals("result", result.energySource());
    assertEquals(90, result.get(ReportMetric.ENERGY), EPS);
    assertNull(result.get(ReportMetric.ENERGY_ADJUSTED), "no idle power: no adjusted energy");
    assertNull(result.get(ReportMetric.ENERGY_PER_TOKEN_ADJUSTED));
    assertEquals(0.3, result.get(ReportMetric.ENERGY_PER_TOKEN), EPS);
    assertEquals(25, result.get(ReportMetric.TOKENS_PER_SECOND), EPS);
  }

  @Test
  void aVerdictOfInvalidRulesTheRunOutEvenWhenMarkedCompleted() throws Exception {
    ReportData data =
        new NumbersLedger(results, "verdict")
            .line(
                "x",
                1,
                1,
                "completed",
                "\"metrics\": {\"energyJ\": 5}, \"validity\": {\"valid\": false, \"reasons\":"
                    + " [\"CLOCK_SKEW\", \"SAMPLE_GAP\"]}")
            .load(null);
    AttemptRecord r = data.runs().get(0);
    assertFalse(r.valid());
    assertEquals(List.of("CLOCK_SKEW", "SAMPLE_GAP"), r.numbers().reasons());
  }
}
