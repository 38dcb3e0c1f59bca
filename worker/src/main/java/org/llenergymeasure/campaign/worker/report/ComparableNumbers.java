package org.llenergymeasure.campaign.worker.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.workflows.cycles.Interval;
import org.llenergymeasure.campaign.workflows.cycles.MetricStats;

/**
 * The numbers to publish: per experiment and metric, over its valid runs ({@link
 * AttemptRecord#valid}), the count, mean, 95 % Student-t interval of the mean and coefficient of
 * variation; the pairs of experiments whose intervals of a metric overlap (their difference is not
 * established at 95 %), among all the report's experiments; and the convergence trace.
 */
public record ComparableNumbers(
    List<MetricRow> rows, List<Overlap> overlaps, ConvergenceTrace convergence) {

  public static final double CONFIDENCE = 0.95;

  /**
   * One experiment's metric.
   *
   * @param interval the 95 % interval; null below 2 values
   */
  public record MetricRow(String experiment, Metric metric, MetricStats stats, Interval interval) {

    /** The coefficient of variation as a fraction; null below 2 values or at a zero mean. */
    public Double cv() {
      double cv = stats.coefficientOfVariation();
      return Double.isNaN(cv) ? null : cv;
    }
  }

  /** Two experiments whose 95 % intervals of {@code metric} share a value. */
  public record Overlap(Metric metric, MetricRow a, MetricRow b) {}

  public ComparableNumbers {
    rows = List.copyOf(rows);
    overlaps = List.copyOf(overlaps);
  }

  public static ComparableNumbers of(ReportData data) {
    List<MetricRow> rows = new ArrayList<>();
    for (ExperimentSummary e : data.experiments()) {
      List<AttemptRecord> valid = e.runs().stream().filter(AttemptRecord::valid).toList();
      for (Metric m : Metric.values()) {
        MetricStats s = MetricStats.EMPTY;
        for (AttemptRecord r : valid) {
          Double v = r.numbers().get(m);
          if (v != null) {
            s = s.add(v);
          }
        }
        if (s.n() > 0) {
          rows.add(new MetricRow(e.experiment(), m, s, s.interval(CONFIDENCE)));
        }
      }
    }
    List<Overlap> overlaps = new ArrayList<>();
    for (Metric m : Metric.values()) {
      List<MetricRow> of =
          rows.stream().filter(r -> r.metric() == m && r.interval() != null).toList();
      for (int i = 0; i < of.size(); i++) {
        for (int j = i + 1; j < of.size(); j++) {
          if (of.get(i).interval().overlaps(of.get(j).interval())) {
            overlaps.add(new Overlap(m, of.get(i), of.get(j)));
          }
        }
      }
    }
    return new ComparableNumbers(rows, overlaps, ConvergenceTrace.of(data));
  }

  /** The rows of one experiment, in metric order. */
  public List<MetricRow> rowsOf(String experiment) {
    return rows.stream().filter(r -> r.experiment().equals(experiment)).toList();
  }

  /** Whether the experiment's interval of the metric overlaps another experiment's. */
  public boolean overlapsAny(MetricRow row) {
    return overlaps.stream().anyMatch(o -> o.a() == row || o.b() == row);
  }

  /** {@code numbers.json}: what the report shows of these, for a program to read. */
  public Map<String, Object> toJson(String campaign) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("campaign", campaign);
    out.put("confidence", CONFIDENCE);
    Map<String, Map<String, Object>> experiments = new LinkedHashMap<>();
    for (MetricRow r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("n", r.stats().n());
      m.put("mean", r.stats().mean());
      double sd = r.stats().standardDeviation();
      m.put("sd", Double.isNaN(sd) ? null : sd);
      m.put("cv", r.cv());
      Interval i = r.interval();
      m.put("low", i == null ? null : i.low());
      m.put("high", i == null ? null : i.high());
      m.put("halfWidth", i == null ? null : i.halfWidth());
      m.put("relativeHalfWidth", i == null ? null : finite(i.relativeHalfWidth()));
      experiments
          .computeIfAbsent(r.experiment(), k -> new LinkedHashMap<>())
          .put(r.metric().key(), m);
    }
    out.put("experiments", experiments);
    List<Map<String, Object>> pairs = new ArrayList<>();
    for (Overlap o : overlaps) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("metric", o.metric().key());
      p.put("a", o.a().experiment());
      p.put("b", o.b().experiment());
      pairs.add(p);
    }
    out.put("overlaps", pairs);
    out.put("convergence", convergence == null ? null : convergence.toJson());
    return out;
  }

  static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
