package org.llenergymeasure.campaign.worker.report;

import static org.llenergymeasure.campaign.worker.report.ChartCanvas.TEXT;
import static org.llenergymeasure.campaign.worker.report.ChartCanvas.begin;
import static org.llenergymeasure.campaign.worker.report.ChartCanvas.centered;
import static org.llenergymeasure.campaign.worker.report.ChartCanvas.niceCeiling;
import static org.llenergymeasure.campaign.worker.report.ChartCanvas.png;
import static org.llenergymeasure.campaign.worker.report.ChartCanvas.shorten;
import static org.llenergymeasure.campaign.worker.report.ChartCanvas.title;
import static org.llenergymeasure.campaign.worker.report.ChartCanvas.y;
import static org.llenergymeasure.campaign.worker.report.ChartCanvas.yAxis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code convergence.png}: each experiment's relative half-width (in %) after each cycle, one line
 * per experiment (the first {@link #LINES}), the target as a dashed line when the campaign file
 * sets one.
 */
final class ConvergenceChart {

  static final String FILE = "convergence.png";
  static final int LINES = 12;

  private static final Color[] COLORS = {
    new Color(0x1565c0), new Color(0x2e7d32), new Color(0xef6c00), new Color(0x6a1b9a),
    new Color(0x00838f), new Color(0xad1457), new Color(0x4e342e), new Color(0x9e9d24)
  };

  private ConvergenceChart() {}

  /** The chart, or null when no experiment has an interval after any cycle. */
  static Chart of(ConvergenceTrace t) {
    if (t == null) {
      return null;
    }
    List<Map.Entry<String, List<ConvergenceTrace.Point>>> lines = new ArrayList<>();
    double top = t.target() == null ? 0 : t.target() * 100;
    int lastCycle = 1;
    for (Map.Entry<String, List<ConvergenceTrace.Point>> e : t.experiments().entrySet()) {
      if (lines.size() < LINES
          && e.getValue().stream().anyMatch(p -> p.relativeHalfWidth() != null)) {
        lines.add(e);
        for (ConvergenceTrace.Point p : e.getValue()) {
          lastCycle = Math.max(lastCycle, p.cycle());
          if (p.relativeHalfWidth() != null) {
            top = Math.max(top, p.relativeHalfWidth() * 100);
          }
        }
      }
    }
    if (lines.isEmpty()) {
      return null;
    }
    top = niceCeiling(top);
    int width = 640;
    int height = 320;
    int left = 70;
    int right = 200;
    int plotTop = 50;
    int plotBottom = height - 45;
    int plotRight = width - right;
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = begin(img);
    String what = "Convergence of " + t.metric() + " over cycles";
    title(g, what, 10, 20);
    g.setColor(TEXT);
    g.drawString(
        "± of the " + Math.round(t.confidence() * 100) + " % interval, % of the mean", 10, 36);
    yAxis(g, left, plotRight, plotTop, plotBottom, top);
    int span = Math.max(1, lastCycle - 1);
    for (int c = 1; c <= lastCycle; c++) {
      centered(g, Integer.toString(c), x(c, span, left, plotRight), plotBottom + 16);
    }
    centered(g, "cycle", (left + plotRight) / 2, plotBottom + 34);
    if (t.target() != null) {
      int ty = y(t.target() * 100, top, plotTop, plotBottom);
      g.setColor(ReportCharts.FAILED);
      g.setStroke(
          new BasicStroke(
              1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
      g.drawLine(left, ty, plotRight, ty);
      g.drawString("target", plotRight + 4, ty + 4);
    }
    g.setStroke(new BasicStroke(2f));
    for (int i = 0; i < lines.size(); i++) {
      Color color = COLORS[i % COLORS.length];
      g.setColor(color);
      int px = -1;
      int py = -1;
      for (ConvergenceTrace.Point p : lines.get(i).getValue()) {
        if (p.relativeHalfWidth() == null) {
          continue;
        }
        int x = x(p.cycle(), span, left, plotRight);
        int yy = y(Math.min(p.relativeHalfWidth() * 100, top), top, plotTop, plotBottom);
        g.fillOval(x - 3, yy - 3, 7, 7);
        if (px >= 0) {
          g.drawLine(px, py, x, yy);
        }
        px = x;
        py = yy;
      }
      int ly = plotTop + 16 * i;
      g.fillRect(plotRight + 50, ly - 8, 10, 10);
      g.setColor(TEXT);
      g.drawString(shorten(g, lines.get(i).getKey(), right - 70), plotRight + 64, ly + 2);
    }
    g.dispose();
    return new Chart(
        FILE,
        what,
        "Relative half-width of each experiment's interval after each cycle"
            + (t.target() == null ? "" : ", with the target dashed"),
        width,
        height,
        png(img));
  }

  private static int x(int cycle, int span, int left, int right) {
    return left + 10 + (int) Math.round((right - left - 20) * (cycle - 1) / (double) span);
  }
}
