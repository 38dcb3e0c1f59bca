package org.llenergymeasure.campaign.worker.report;

import static org.llenergymeasure.campaign.worker.report.ChartCanvas.FONT;
import static org.llenergymeasure.campaign.worker.report.ChartCanvas.GRID;
import static org.llenergymeasure.campaign.worker.report.ChartCanvas.TEXT;
import static org.llenergymeasure.campaign.worker.report.ChartCanvas.begin;
import static org.llenergymeasure.campaign.worker.report.ChartCanvas.centered;
import static org.llenergymeasure.campaign.worker.report.ChartCanvas.duration;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The report's charts as PNGs drawn with java.awt (headless): one per metric (mean and standard
 * deviation over cycles per experiment, each cycle a dot), the runs on a timeline per GPU, and
 * failures by type. A chart with nothing to show is left out.
 */
public final class ReportCharts {

  static final Color COMPLETED = new Color(0x2e7d32);
  static final Color FAILED = new Color(0xc62828);
  static final Color OTHER = new Color(0x757575);
  private static final Color BAR = new Color(0x5c8dd6);

  /** A metric of a run and of an experiment's spread. */
  public record Metric(
      String file,
      String title,
      String unit,
      Function<AttemptRecord, Double> value,
      Function<ExperimentSummary, Spread> spread) {}

  public static final List<Metric> METRICS =
      List.of(
          new Metric(
              "energy.png",
              "Energy per run",
              "J",
              r -> r.metrics().energyJ(),
              ExperimentSummary::energyJ),
          new Metric(
              "energy-per-token.png",
              "Energy per token",
              "J/token",
              r -> r.metrics().energyPerTokenJ(),
              ExperimentSummary::energyPerTokenJ),
          new Metric(
              "llem-energy-per-token.png",
              "llenergymeasure's energy per token",
              "J/token",
              r -> r.upstream() == null ? null : r.upstream().jPerToken(),
              e -> e.upstream(UpstreamResult::jPerToken)),
          new Metric(
              "host-energy-per-llem-token.png",
              "Host energy per llenergymeasure token",
              "J/token",
              AttemptRecord::hostJoulesPerUpstreamToken,
              ExperimentSummary::hostJoulesPerUpstreamToken),
          new Metric(
              "throughput.png",
              "Throughput",
              "tokens/s",
              r -> r.metrics().tokensPerSecond(),
              ExperimentSummary::tokensPerSecond),
          new Metric(
              "host-vs-run.png",
              "Run energy vs host energy (over the run's window where reported)",
              "%",
              AttemptRecord::runToHostPercent,
              ExperimentSummary::runToHostPercent),
          new Metric(
              "duration.png",
              "Run duration",
              "s",
              AttemptRecord::durationSeconds,
              ExperimentSummary::durationS));

  private ReportCharts() {}

  /** Every chart that has data, in the order the report shows them. */
  public static List<Chart> all(ReportData data) {
    List<Chart> charts = new ArrayList<>();
    Chart convergence = ConvergenceChart.of(data.numbers().convergence());
    if (convergence != null) {
      charts.add(convergence);
    }
    for (Metric m : METRICS) {
      Chart c = metric(data, m);
      if (c != null) {
        charts.add(c);
      }
    }
    Chart timeline = timeline(data);
    if (timeline != null) {
      charts.add(timeline);
    }
    Chart failures = failures(data);
    if (failures != null) {
      charts.add(failures);
    }
    return charts;
  }

  /** Mean ± sd bars per experiment with each completed run as a dot; null when no run has it. */
  public static Chart metric(ReportData data, Metric m) {
    List<ExperimentSummary> shown =
        data.experiments().stream().filter(e -> m.spread().apply(e) != null).toList();
    if (shown.isEmpty()) {
      return null;
    }
    double top = 0;
    for (ExperimentSummary e : shown) {
      Spread s = m.spread().apply(e);
      top = Math.max(top, Math.max(s.max(), s.mean() + s.sd()));
    }
    top = niceCeiling(top);
    int slot = 110;
    int left = 80;
    int right = 20;
    int width = Math.max(420, left + right + slot * shown.size());
    int height = 300;
    int plotTop = 50;
    int plotBottom = height - 50;
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = begin(img);
    title(g, m.title() + " (" + m.unit() + ")", 10, 20);
    g.setColor(TEXT);
    g.drawString("bar: mean ± sd over cycles; dots: runs", 10, 36);
    yAxis(g, left, width - right, plotTop, plotBottom, top);
    for (int i = 0; i < shown.size(); i++) {
      ExperimentSummary e = shown.get(i);
      Spread s = m.spread().apply(e);
      int cx = left + slot * i + slot / 2;
      int barW = slot / 2;
      int yMean = y(s.mean(), top, plotTop, plotBottom);
      g.setColor(BAR);
      g.fillRect(cx - barW / 2, yMean, barW, plotBottom - yMean);
      g.setColor(TEXT);
      g.setStroke(new BasicStroke(1.5f));
      int yLo = y(Math.max(0, s.mean() - s.sd()), top, plotTop, plotBottom);
      int yHi = y(s.mean() + s.sd(), top, plotTop, plotBottom);
      g.drawLine(cx, yLo, cx, yHi);
      g.drawLine(cx - 8, yLo, cx + 8, yLo);
      g.drawLine(cx - 8, yHi, cx + 8, yHi);
      int k = 0;
      for (AttemptRecord r : e.runs()) {
        Double v = r.completed() ? m.value().apply(r) : null;
        if (v != null) {
          int dx = cx + barW / 2 + 6 + (k++ % 3) * 5;
          int dy = y(v, top, plotTop, plotBottom);
          g.setColor(new Color(0x0d47a1));
          g.fillOval(dx - 3, dy - 3, 7, 7);
        }
      }
      g.setColor(TEXT);
      centered(g, shorten(g, e.experiment(), slot - 6), cx, plotBottom + 16);
      centered(g, "n=" + s.n(), cx, plotBottom + 32);
    }
    g.dispose();
    return new Chart(
        m.file(),
        m.title(),
        m.title() + " in " + m.unit() + " per experiment",
        width,
        height,
        png(img));
  }

  /** Each attempt as a bar on the lane of every GPU it was routed to; null when none was routed. */
  public static Chart timeline(ReportData data) {
    Map<String, String> lanes = new LinkedHashMap<>();
    List<AttemptRecord> placed = new ArrayList<>();
    List<String[]> laneKeys = new ArrayList<>();
    for (AttemptRecord a : data.attempts()) {
      if (a.startedAt() == null || a.finishedAt() == null || a.routedDevices().isEmpty()) {
        continue;
      }
      placed.add(a);
      for (AttemptRecord.Device d : a.routedDevices()) {
        String key = a.entry().host() + "|" + d.uuid();
        if (!lanes.containsKey(key)) {
          lanes.put(key, laneLabel(a.entry().host(), d));
          laneKeys.add(
              new String[] {
                key,
                a.entry().host(),
                d.index() == null ? "" : String.format("%05d", d.index()),
                d.uuid()
              });
        }
      }
    }
    if (placed.isEmpty()) {
      return null;
    }
    laneKeys.sort(
        Comparator.<String[], String>comparing(k -> Objects.toString(k[1], ""))
            .thenComparing(k -> k[2])
            .thenComparing(k -> k[3]));
    List<String> order = laneKeys.stream().map(k -> k[0]).toList();
    Instant start =
        placed.stream().map(AttemptRecord::startedAt).min(Comparator.naturalOrder()).orElseThrow();
    Instant end =
        placed.stream().map(AttemptRecord::finishedAt).max(Comparator.naturalOrder()).orElseThrow();
    double span = Math.max(1, (end.toEpochMilli() - start.toEpochMilli()) / 1000.0);
    int laneH = 28;
    int left = 230;
    int right = 20;
    int width = 1000;
    int plotTop = 40;
    int height = plotTop + laneH * order.size() + 70;
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = begin(img);
    title(g, "Runs per GPU over time (green completed, red failed)", 10, 22);
    int plotW = width - left - right;
    int plotBottom = plotTop + laneH * order.size();
    g.setFont(FONT);
    for (int t = 0; t <= 5; t++) {
      int x = left + plotW * t / 5;
      g.setColor(GRID);
      g.drawLine(x, plotTop, x, plotBottom);
      g.setColor(TEXT);
      centered(g, duration(span * t / 5), x, plotBottom + 16);
    }
    centered(
        g, "time since the first run started (" + start + ")", left + plotW / 2, plotBottom + 36);
    for (int i = 0; i < order.size(); i++) {
      int yTop = plotTop + laneH * i;
      g.setColor(TEXT);
      g.drawString(shorten(g, lanes.get(order.get(i)), left - 10), 8, yTop + laneH / 2 + 5);
      g.setColor(GRID);
      g.drawLine(left, yTop + laneH, width - right, yTop + laneH);
    }
    for (AttemptRecord a : placed) {
      double from = (a.startedAt().toEpochMilli() - start.toEpochMilli()) / 1000.0;
      double to = (a.finishedAt().toEpochMilli() - start.toEpochMilli()) / 1000.0;
      int x0 = left + (int) Math.round(plotW * from / span);
      int x1 = Math.max(x0 + 3, left + (int) Math.round(plotW * to / span));
      for (AttemptRecord.Device d : a.routedDevices()) {
        int lane = order.indexOf(a.entry().host() + "|" + d.uuid());
        int yTop = plotTop + laneH * lane + 4;
        g.setColor(
            a.completed() ? COMPLETED : "failed".equals(a.entry().status()) ? FAILED : OTHER);
        g.fillRect(x0, yTop, x1 - x0, laneH - 8);
        String label =
            a.entry().runId() + (a.entry().attempt() > 1 ? " a" + a.entry().attempt() : "");
        if (g.getFontMetrics().stringWidth(label) + 6 < x1 - x0) {
          g.setColor(Color.WHITE);
          g.drawString(label, x0 + 3, yTop + laneH / 2 + 1);
        }
      }
    }
    g.dispose();
    return new Chart(
        "timeline.png",
        "Timeline of runs per GPU",
        "Each attempt on the GPUs it was routed to",
        width,
        height,
        png(img));
  }

  /** Failed attempts per failure type; null when nothing failed. */
  public static Chart failures(ReportData data) {
    if (data.failures().isEmpty()) {
      return null;
    }
    List<FailureCount> f = data.failures();
    int max = f.stream().mapToInt(FailureCount::attempts).max().orElse(1);
    int left = 190;
    int barH = 26;
    int width = 700;
    int height = 50 + barH * f.size() + 20;
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = begin(img);
    title(g, "Failed attempts by type", 10, 22);
    int plotW = width - left - 60;
    for (int i = 0; i < f.size(); i++) {
      int yTop = 40 + barH * i;
      FailureCount c = f.get(i);
      g.setColor(TEXT);
      g.drawString(shorten(g, c.type(), left - 16), 10, yTop + barH / 2 + 5);
      int w = Math.max(2, plotW * c.attempts() / Math.max(1, max));
      g.setColor(FAILED);
      g.fillRect(left, yTop + 4, w, barH - 8);
      g.setColor(TEXT);
      g.drawString(Integer.toString(c.attempts()), left + w + 6, yTop + barH / 2 + 5);
    }
    g.dispose();
    return new Chart(
        "failures.png",
        "Failures by type",
        "Failed attempts per failure type",
        width,
        height,
        png(img));
  }

  private static String laneLabel(String host, AttemptRecord.Device d) {
    String uuid =
        d.uuid() == null
            ? "?"
            : d.uuid().length() > 12 ? d.uuid().substring(0, 12) + "…" : d.uuid();
    return (host == null ? "" : host + " ")
        + "GPU "
        + (d.index() == null ? "?" : d.index())
        + " "
        + uuid;
  }
}
