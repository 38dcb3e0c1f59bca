package org.llenergymeasure.campaign.worker.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.llenergymeasure.campaign.workflows.cycles.Interval;
import org.llenergymeasure.campaign.workflows.cycles.MetricStats;

/**
 * How each experiment's interval narrowed cycle after cycle: after each cycle an experiment ran,
 * the interval of one metric over its valid runs of that cycle and the ones before. The metric and
 * confidence are those of {@code execution.cycles.until} when the campaign file has one (with its
 * target), else energy per token when a valid run has it, else energy, at 95 %.
 *
 * @param metric a metric name or {@code result.<field>}
 * @param target the relative half-width to reach (a fraction); null without {@code until}
 * @param fromCampaignFile whether metric, confidence and target are the campaign file's
 * @param savings the cycles each experiment needed and what stopping early saved; null unless the
 *     campaign file's cycles have {@code until} and {@code max}
 */
public record ConvergenceTrace(
    String metric,
    double confidence,
    Double target,
    boolean fromCampaignFile,
    Map<String, List<Point>> experiments,
    CycleSavings savings) {

  /**
   * The interval after one cycle.
   *
   * @param halfWidth null below 2 values
   * @param relativeHalfWidth a fraction; null below 2 values or at a zero mean
   */
  public record Point(int cycle, int n, Double mean, Double halfWidth, Double relativeHalfWidth) {}

  public ConvergenceTrace {
    experiments = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(experiments));
  }

  /** The trace, or null when no experiment ran more than one cycle. */
  public static ConvergenceTrace of(ReportData data) {
    boolean severalCycles =
        data.experiments().stream()
            .anyMatch(e -> e.runs().stream().map(r -> r.entry().cycle()).distinct().count() > 1);
    if (!severalCycles) {
      return null;
    }
    CyclesTarget until = data.settings().target();
    String metric;
    double confidence = ComparableNumbers.CONFIDENCE;
    if (until != null) {
      metric = until.metric();
      confidence = until.confidence();
    } else {
      boolean perToken =
          data.runs().stream()
              .anyMatch(r -> r.valid() && r.numbers().get(ReportMetric.ENERGY_PER_TOKEN) != null);
      metric = (perToken ? ReportMetric.ENERGY_PER_TOKEN : ReportMetric.ENERGY).key();
    }
    Map<String, List<Point>> experiments = new LinkedHashMap<>();
    for (ExperimentSummary e : data.experiments()) {
      List<Point> points = new ArrayList<>();
      for (int cycle : new TreeSet<>(e.runs().stream().map(r -> r.entry().cycle()).toList())) {
        MetricStats s = MetricStats.EMPTY;
        for (AttemptRecord r : e.runs()) {
          Double v = r.valid() && r.entry().cycle() <= cycle ? valueOf(r, metric) : null;
          if (v != null) {
            s = s.add(v);
          }
        }
        Interval i = s.interval(confidence);
        points.add(
            new Point(
                cycle,
                s.n(),
                s.n() == 0 ? null : s.mean(),
                i == null ? null : i.halfWidth(),
                i == null ? null : ComparableNumbers.finite(i.relativeHalfWidth())));
      }
      experiments.put(e.experiment(), points);
    }
    return new ConvergenceTrace(
        metric,
        confidence,
        until == null ? null : until.relativeHalfWidth(),
        until != null,
        experiments,
        CycleSavings.of(data, experiments));
  }

  /** A run's value of a metric name or of {@code result.<dotted.path>}; null when it has none. */
  static Double valueOf(AttemptRecord r, String metric) {
    ReportMetric m = ReportMetric.byKey(metric);
    if (m != null) {
      return r.numbers().get(m);
    }
    if (!metric.startsWith("result.") || r.entry().result() == null) {
      return null;
    }
    JsonNode n = r.entry().result();
    for (String part : metric.substring("result.".length()).split("\\.", -1)) {
      n = n.path(part);
    }
    return UpstreamResult.number(n);
  }

  /** Whether a point meets the target (false without a target or an interval). */
  public boolean reached(Point p) {
    return reached(p, target);
  }

  static boolean reached(Point p, Double target) {
    return target != null && p.relativeHalfWidth() != null && p.relativeHalfWidth() <= target;
  }

  Map<String, Object> toJson() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("metric", metric);
    out.put("confidence", confidence);
    out.put("relativeHalfWidth", target);
    out.put("fromCampaignFile", fromCampaignFile);
    Map<String, Object> ex = new LinkedHashMap<>();
    experiments.forEach(
        (name, points) -> {
          List<Map<String, Object>> ps = new ArrayList<>();
          for (Point p : points) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cycle", p.cycle());
            m.put("n", p.n());
            m.put("mean", p.mean());
            m.put("halfWidth", p.halfWidth());
            m.put("relativeHalfWidth", p.relativeHalfWidth());
            m.put("reached", reached(p));
            ps.add(m);
          }
          ex.put(name, ps);
        });
    out.put("experiments", ex);
    if (savings != null) {
      out.put("savings", savings.toJson());
    }
    return out;
  }
}
