package org.llenergymeasure.campaign.worker.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interval after each cycle, for 2 experiments over 4 cycles. */
class ConvergenceTraceTest {

  @TempDir Path results;

  @BeforeAll
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  /**
   * e1: 1.0, 1.2, 1.1, 1.1 J/token; e2: 2.0, 2.02, 2.0, 2.02 J/token (cycles 1 to 4). e1's cycle 3
   * failed once (ExitNonZero) before its attempt 2 completed.
   */
  private ReportData fourCycles(Path campaignFile) throws Exception {
    double[][] perToken = {{1.0, 1.2, 1.1, 1.1}, {2.0, 2.02, 2.0, 2.02}};
    NumbersLedger l = new NumbersLedger(results, "conv");
    for (int c = 1; c <= 4; c++) {
      for (int e = 0; e < 2; e++) {
        String name = "e" + (e + 1);
        String metrics =
            "\"metrics\": {\"energyJ\": "
                + perToken[e][c - 1] * 100
                + ", \"energyPerTokenJ\": "
                + perToken[e][c - 1]
                + "}";
        if (e == 0 && c == 3) {
          l.line(name, c, 1, "failed", "\"error\": {\"type\": \"ExitNonZero\", \"message\": \"\"}");
          l.line(name, c, 2, "completed", metrics);
        } else {
          l.line(name, c, 1, "completed", metrics);
        }
      }
    }
    return l.load(campaignFile);
  }

  @Test
  void theTraceFollowsTheCampaignFilesUntilAndMarksTheTarget() throws Exception {
    Path file = results.resolve("conv.yaml");
    Files.writeString(
        file,
        "campaign: conv\nexecution:\n  cycles:\n    min: 2\n    max: 4\n    until:\n"
            + "      metric: energyPerTokenJ\n      relativeHalfWidth: 5%\n"
            + "      confidence: 0.9\n");
    ReportData data = fourCycles(file);
    ConvergenceTrace t = data.numbers().convergence();
    assertEquals("energyPerTokenJ", t.metric());
    assertEquals(0.9, t.confidence(), 0);
    assertEquals(0.05, t.target(), 1e-12);
    assertTrue(t.fromCampaignFile());
    assertEquals(List.of("e1", "e2"), List.copyOf(t.experiments().keySet()));

    // t(0.95, 1) = 6.31375, t(0.95, 2) = 2.91999, t(0.95, 3) = 2.35336 (90 % two-sided).
    // e1: after c2 1.0, 1.2: mean 1.1, sd 0.141421, half 6.31375 x 0.141421 / sqrt(2) = 0.631375;
    // after c3 sd 0.1, half 2.91999 x 0.1 / sqrt(3) = 0.168585; after c4 sd sqrt(0.02 / 3) =
    // 0.0816497, half 2.35336 x 0.0816497 / 2 = 0.0960757.
    List<ConvergenceTrace.Point> e1 = t.experiments().get("e1");
    assertEquals(List.of(1, 2, 3, 4), e1.stream().map(ConvergenceTrace.Point::cycle).toList());
    assertEquals(List.of(1, 2, 3, 4), e1.stream().map(ConvergenceTrace.Point::n).toList());
    assertEquals(1.0, e1.get(0).mean(), 1e-12);
    assertNull(e1.get(0).halfWidth(), "one run has no interval");
    assertEquals(0.631375, e1.get(1).halfWidth(), 1e-6);
    assertEquals(0.573977, e1.get(1).relativeHalfWidth(), 1e-6);
    assertEquals(0.168585, e1.get(2).halfWidth(), 1e-6);
    assertEquals(0.0960757, e1.get(3).halfWidth(), 1e-7);
    assertEquals(0.0873415, e1.get(3).relativeHalfWidth(), 1e-7);
    assertFalse(e1.stream().anyMatch(t::reached), "e1 never gets within 5 %");

    // e2: after c2 2.0, 2.02: mean 2.01, half 6.31375 x 0.0141421 / sqrt(2) = 0.0631375,
    // relative 3.14 % <= 5 %: reached from cycle 2 on.
    List<ConvergenceTrace.Point> e2 = t.experiments().get("e2");
    assertEquals(0.0631375, e2.get(1).halfWidth(), 1e-7);
    assertEquals(0.0314117, e2.get(1).relativeHalfWidth(), 1e-7);
    assertEquals(List.of(false, true, true, true), e2.stream().map(t::reached).toList());

    String html = HtmlReport.render(data, List.of(), Instant.parse("2026-02-01T00:00:00Z"));
    assertTrue(html.contains("id=\"convergence-table\""));
    assertTrue(html.contains("target ± 5.00 %"), "the target is shown");
    assertEquals(3, html.split("<span class=\"ok\">✓</span>", -1).length - 1, "e2's cycles 2-4");

    Chart chart = ConvergenceChart.of(t);
    BufferedImage png = ImageIO.read(new ByteArrayInputStream(chart.png()));
    assertEquals(chart.width(), png.getWidth(), "convergence.png decodes");
    assertEquals("convergence.png", ReportCharts.all(data).get(0).fileName());
  }

  @Test
  void withoutUntilTheTraceIsEnergyPerTokenAt95() throws Exception {
    ReportData data = fourCycles(null);
    ConvergenceTrace t = data.numbers().convergence();
    assertEquals("energyPerTokenJ", t.metric());
    assertEquals(0.95, t.confidence(), 0);
    assertNull(t.target());
    assertFalse(t.fromCampaignFile());
    // t(0.975, 1) = 12.7062: e1 after c2: 12.7062 x 0.141421 / sqrt(2) = 1.27062.
    assertEquals(1.27062, t.experiments().get("e1").get(1).halfWidth(), 1e-5);
  }

  @Test
  void aSingleCycleHasNoTrace() throws Exception {
    ReportData data =
        new NumbersLedger(results, "one")
            .completed("a", 1, "\"energyJ\": 1")
            .completed("b", 1, "\"energyJ\": 2")
            .load(null);
    assertNull(data.numbers().convergence());
    assertNull(ConvergenceChart.of(data.numbers().convergence()));
  }
}
