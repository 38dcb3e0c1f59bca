package org.llenergymeasure.campaign.worker.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.llenergymeasure.campaign.workflows.cycles.Interval;
import org.llenergymeasure.campaign.workflows.cycles.MetricStats;

/**
 * The numbers to publish: per experiment and metric, over its valid runs ({@link
 * AttemptRecord#valid}), the count, mean, 95 % Student-t interval of the mean and coefficient of
 * variation; the pairs of experiments whose intervals of a metric overlap (their difference is not
 * established at 95 %), among all the report's experiments; and the convergence trace.
 *
 * @param overlaps the overlapping pairs, by metric, the one with the lower interval first; at most
 *     {@link #MAX_PAIRS}
 * @param overlapCount how many pairs overlap in all
 * @param overlapping the rows whose interval overlaps another experiment's (by identity)
 */
public record ComparableNumbers(
    List<MetricRow> rows,
    List<Overlap> overlaps,
    long overlapCount,
    Set<MetricRow> overlapping,
    ConvergenceTrace convergence) {

  public static final double CONFIDENCE = 0.95;

  /** The most overlapping pairs listed (all are counted in {@link #overlapCount}). */
  public static final int MAX_PAIRS = 10_000;

  /**
   * One experiment's metric.
   *
   * @param interval the 95 % interval; null below 2 values
   */
  public record MetricRow(
      String experiment, ReportMetric metric, MetricStats stats, Interval interval) {

    /** The coefficient of variation as a fraction; null below 2 values or at a zero mean. */
    public Double cv() {
      double cv = stats.coefficientOfVariation();
      return Double.isNaN(cv) ? null : cv;
    }
  }

  /** Two experiments whose 95 % intervals of {@code metric} share a value, {@code a} lower. */
  public record Overlap(ReportMetric metric, MetricRow a, MetricRow b) {}

  public ComparableNumbers {
    rows = List.copyOf(rows);
    overlaps = List.copyOf(overlaps);
    overlapping = Collections.unmodifiableSet(overlapping);
  }

  public static ComparableNumbers of(ReportData data) {
    List<MetricRow> rows = new ArrayList<>();
    for (ExperimentSummary e : data.experiments()) {
      List<AttemptRecord> valid = e.runs().stream().filter(AttemptRecord::valid).toList();
      for (ReportMetric m : ReportMetric.values()) {
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
    Set<MetricRow> flagged = Collections.newSetFromMap(new IdentityHashMap<>());
    long count = 0;
    for (ReportMetric m : ReportMetric.values()) {
      count +=
          overlapsOf(
              rows.stream().filter(r -> r.metric() == m && r.interval() != null).toList(),
              overlaps,
              flagged);
    }
    return new ComparableNumbers(rows, overlaps, count, flagged, ConvergenceTrace.of(data));
  }

  /**
   * Adds the overlapping pairs of {@code rows} (one metric) to {@code out} while it holds fewer
   * than {@link #MAX_PAIRS}, marks every row that overlaps another in {@code flagged}, and returns
   * how many pairs overlap: over the rows sorted by their interval's low end, a row overlaps
   * exactly the later rows whose low end is at most its high end (and the earlier ones whose high
   * end reaches its low end), so counting takes a binary search per row however many pairs there
   * are.
   */
  private static long overlapsOf(List<MetricRow> rows, List<Overlap> out, Set<MetricRow> flagged) {
    List<MetricRow> sorted =
        rows.stream().sorted(Comparator.comparingDouble(r -> r.interval().low())).toList();
    double[] lows = sorted.stream().mapToDouble(r -> r.interval().low()).toArray();
    long count = 0;
    double highestBefore = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < sorted.size(); i++) {
      Interval a = sorted.get(i).interval();
      int end = firstAbove(lows, a.high(), i + 1);
      count += end - i - 1;
      if (end > i + 1 || highestBefore >= a.low()) {
        flagged.add(sorted.get(i));
      }
      highestBefore = Math.max(highestBefore, a.high());
      for (int j = i + 1; j < end && out.size() < MAX_PAIRS; j++) {
        out.add(new Overlap(sorted.get(i).metric(), sorted.get(i), sorted.get(j)));
      }
    }
    return count;
  }

  /** The first index at or after {@code from} whose value is above {@code v} (sorted values). */
  private static int firstAbove(double[] sorted, double v, int from) {
    int lo = from;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The rows of one experiment, in metric order. */
  public List<MetricRow> rowsOf(String experiment) {
    return rows.stream().filter(r -> r.experiment().equals(experiment)).toList();
  }

  /** Whether the experiment's interval of the metric overlaps another experiment's. */
  public boolean overlapsAny(MetricRow row) {
    return overlapping.contains(row);
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
    out.put("overlapCount", overlapCount);
    out.put("convergence", convergence == null ? null : convergence.toJson());
    return out;
  }

  static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
