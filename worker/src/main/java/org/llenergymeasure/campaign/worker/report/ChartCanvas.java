package org.llenergymeasure.campaign.worker.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** What every chart of the report draws with: the canvas, its axes and labels, numbers, PNG. */
final class ChartCanvas {

  static final Color GRID = new Color(0xe0e0e0);
  static final Color TEXT = new Color(0x212121);
  static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);

  private ChartCanvas() {}

  static Graphics2D begin(BufferedImage img) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setFont(FONT);
    return g;
  }

  static void title(Graphics2D g, String text, int x, int y) {
    g.setColor(TEXT);
    g.setFont(TITLE);
    g.drawString(text, x, y);
    g.setFont(FONT);
  }

  static void yAxis(Graphics2D g, int left, int right, int top, int bottom, double max) {
    for (int t = 0; t <= 4; t++) {
      double v = max * t / 4;
      int y = y(v, max, top, bottom);
      g.setColor(GRID);
      g.drawLine(left, y, right, y);
      g.setColor(TEXT);
      String label = tick(v, max / 4);
      g.drawString(label, left - 8 - g.getFontMetrics().stringWidth(label), y + 4);
    }
    g.drawLine(left, top, left, bottom);
  }

  static int y(double v, double max, int top, int bottom) {
    return bottom - (int) Math.round((bottom - top) * (max == 0 ? 0 : v / max));
  }

  /** 1, 2 or 5 times a power of ten at or above v (1 for 0, so an all-zero chart still draws). */
  static double niceCeiling(double v) {
    if (v <= 0) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }

  static String number(double v) {
    if (v == 0) {
      return "0";
    }
    double a = Math.abs(v);
    if (a >= 1000) {
      return String.format("%,.0f", v);
    }
    if (a >= 10) {
      return String.format("%.1f", v);
    }
    if (a >= 0.01) {
      return String.format("%.3f", v);
    }
    return String.format("%.2e", v);
  }

  /**
   * An axis tick's label: every tick of an axis with the same number of decimals, as many as its
   * step needs (0.005, 0.010, 0.015 rather than 5.00e-03, 0.010, 0.015), grouped thousands; steps
   * finer than a millionth fall back to {@link #number}.
   */
  static String tick(double v, double step) {
    for (int decimals = 0; decimals <= 6; decimals++) {
      double scaled = step * Math.pow(10, decimals);
      if (scaled > 0.999999 && Math.abs(scaled - Math.rint(scaled)) < 1e-6 * scaled) {
        return String.format("%,." + decimals + "f", v);
      }
    }
    return number(v);
  }

  static String duration(double seconds) {
    if (seconds < 120) {
      return String.format("%.0f s", seconds);
    }
    if (seconds < 7200) {
      return String.format("%.0f min", seconds / 60);
    }
    return String.format("%.1f h", seconds / 3600);
  }

  static void centered(Graphics2D g, String text, int cx, int y) {
    FontMetrics fm = g.getFontMetrics();
    g.drawString(text, cx - fm.stringWidth(text) / 2, y);
  }

  /**
   * The text, or when it is wider than {@code width} its start and its end with "…" between: names
   * that differ at the end (llama-large-bs2048, llama-large-bs4096) stay told apart.
   */
  static String shorten(Graphics2D g, String text, int width) {
    FontMetrics fm = g.getFontMetrics();
    if (fm.stringWidth(text) <= width) {
      return text;
    }
    int head = (text.length() - 1) / 2;
    int tail = text.length() - 1 - head;
    while (head + tail > 1
        && fm.stringWidth(text.substring(0, head) + "…" + text.substring(text.length() - tail))
            > width) {
      if (head >= tail) {
        head--;
      } else {
        tail--;
      }
    }
    return text.substring(0, head) + "…" + text.substring(text.length() - tail);
  }

  static byte[] png(BufferedImage img) {
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      ImageIO.write(img, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a chart as PNG", e);
    }
  }
}
