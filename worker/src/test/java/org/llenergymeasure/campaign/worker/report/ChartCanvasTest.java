package org.llenergymeasure.campaign.worker.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChartCanvasTest {

  private final Graphics2D g =
      ChartCanvas.begin(new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB));

  @AfterEach
  void dispose() {
    g.dispose();
  }

  private static List<String> ticks(double max) {
    List<String> labels = new ArrayList<>();
    for (int t = 0; t <= 4; t++) {
      labels.add(ChartCanvas.tick(max * t / 4, max / 4));
    }
    return labels;
  }

  @Test
  void everyTickOfAnAxisHasTheDecimalsItsStepNeeds() {
    assertEquals(List.of("0.000", "0.005", "0.010", "0.015", "0.020"), ticks(0.02));
    assertEquals(List.of("0", "5", "10", "15", "20"), ticks(20));
    assertEquals(List.of("0.00", "0.25", "0.50", "0.75", "1.00"), ticks(1));
    assertEquals(List.of("0", "1,250", "2,500", "3,750", "5,000"), ticks(5000));
    assertEquals(List.of("0.00000", "0.00125", "0.00250", "0.00375", "0.00500"), ticks(0.005));
  }

  @Test
  void aStepFinerThanAMillionthFallsBackToScientific() {
    assertEquals(ChartCanvas.number(2e-8), ChartCanvas.tick(2e-8, 1e-8));
    assertTrue(ChartCanvas.tick(2e-8, 1e-8).contains("e-"));
  }

  @Test
  void aNameThatFitsIsKept() {
    assertEquals("bs1", ChartCanvas.shorten(g, "bs1", 100));
  }

  @Test
  void namesThatDifferAtTheEndStayApartWhenShortened() {
    int width = g.getFontMetrics().stringWidth("llama-large-bs") - 2;
    String a = ChartCanvas.shorten(g, "llama-large-bs2048", width);
    String b = ChartCanvas.shorten(g, "llama-large-bs4096", width);
    assertNotEquals(a, b);
    assertTrue(a.startsWith("ll") && a.contains("…") && a.endsWith("48"), a);
    assertTrue(g.getFontMetrics().stringWidth(a) <= width, a);
    assertTrue(g.getFontMetrics().stringWidth(b) <= width, b);
  }
}
