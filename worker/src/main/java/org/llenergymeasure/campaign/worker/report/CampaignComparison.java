package org.llenergymeasure.campaign.worker.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.llenergymeasure.campaign.config.CampaignFileException;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.worker.campaign.CampaignRecord;
import org.llenergymeasure.campaign.worker.campaign.PlanChanges;
import org.llenergymeasure.campaign.workflows.cycles.Interval;

/**
 * Two campaigns' experiments side by side ({@code report --compare A B}): matched by name, each
 * metric's 95 % interval on both sides (the report's own, {@link ComparableNumbers}), the change of
 * the mean, whether the intervals overlap and what that says. An experiment whose definition hash
 * differs between A and B is marked changed and never counts as a regression.
 */
public record CampaignComparison(Side a, Side b, List<Row> experiments) {

  public CampaignComparison {
    experiments = List.copyOf(experiments);
  }

  /** One campaign's results: its report numbers and its experiments' definition hashes. */
  public record Side(String campaign, Path folder, String planHash, Map<String, String> hashes) {

    /** The campaign of {@code folder} ({@code <results>/<campaign>}). */
    public static Side load(Path folder, ReportData data) {
      return new Side(
          data.campaign(), folder, data.planHash(), CampaignComparison.hashes(data.record()));
    }
  }

  /** Whether an experiment's definition is the same on both sides. */
  public enum Definition {
    /** Both hashes known and equal. */
    SAME,
    /** Both known and different: the experiment changed between A and B. */
    CHANGED,
    /** A side's hash is unknown (older results, or an amended {@code NAME@vN}). */
    UNKNOWN;

    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What B's value of a metric is against A's, at 95 %. */
  public enum Verdict {
    BETTER,
    WORSE,
    /** The intervals overlap: no difference established. */
    SAME,
    /** A side has no interval (fewer than 2 valid runs) or no value. */
    UNKNOWN;

    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One metric of one experiment on both sides; a side without a value is null. */
  public record Cell(
      ReportMetric metric, ComparableNumbers.MetricRow a, ComparableNumbers.MetricRow b) {

    /** B's mean against A's in percent; null without both means or at a zero mean of A. */
    public Double changePercent() {
      if (a == null || b == null || a.stats().mean() == 0) {
        return null;
      }
      return 100 * (b.stats().mean() - a.stats().mean()) / Math.abs(a.stats().mean());
    }

    /** Whether the intervals share a value; null when a side has no interval. */
    public Boolean overlap() {
      Interval ia = a == null ? null : a.interval();
      Interval ib = b == null ? null : b.interval();
      return (ia == null || ib == null) ? null : ia.overlaps(ib);
    }

    public Verdict verdict() {
      Boolean overlap = overlap();
      if (overlap == null) {
        return Verdict.UNKNOWN;
      }
      if (overlap) {
        return Verdict.SAME;
      }
      boolean higher = b.stats().mean() > a.stats().mean();
      return higher == metric.higherIsBetter() ? Verdict.BETTER : Verdict.WORSE;
    }

    /** Why there is no verdict, or null when there is one. */
    public String note() {
      if (a == null || b == null) {
        return "no value in " + (a == null ? "A" : "B");
      }
      if (a.interval() == null || b.interval() == null) {
        return "n < 2 in "
            + (a.interval() == null ? (b.interval() == null ? "A and B" : "A") : "B")
            + ": no interval, no verdict";
      }
      return null;
    }
  }

  /**
   * One experiment name.
   *
   * @param inA whether A ran it; {@code inB} likewise (an experiment of one side has no cells)
   */
  public record Row(
      String experiment,
      boolean inA,
      boolean inB,
      String hashA,
      String hashB,
      Definition definition,
      List<Cell> cells) {

    public Row {
      cells = List.copyOf(cells);
    }
  }

  /** Compares B against A. */
  public static CampaignComparison of(Side a, ReportData dataA, Side b, ReportData dataB) {
    ComparableNumbers na = dataA.numbers();
    ComparableNumbers nb = dataB.numbers();
    Set<String> names = new LinkedHashSet<>();
    dataA.experiments().forEach(e -> names.add(e.experiment()));
    dataB.experiments().forEach(e -> names.add(e.experiment()));
    Set<String> inA = new LinkedHashSet<>();
    dataA.experiments().forEach(e -> inA.add(e.experiment()));
    Set<String> inB = new LinkedHashSet<>();
    dataB.experiments().forEach(e -> inB.add(e.experiment()));
    List<Row> rows = new ArrayList<>();
    for (String name : names) {
      String ha = a.hashes().get(name);
      String hb = b.hashes().get(name);
      Definition def =
          ha == null || hb == null
              ? Definition.UNKNOWN
              : ha.equals(hb) ? Definition.SAME : Definition.CHANGED;
      List<Cell> cells = new ArrayList<>();
      if (inA.contains(name) && inB.contains(name)) {
        for (ReportMetric m : ReportMetric.values()) {
          ComparableNumbers.MetricRow ra = row(na, name, m);
          ComparableNumbers.MetricRow rb = row(nb, name, m);
          if (ra != null || rb != null) {
            cells.add(new Cell(m, ra, rb));
          }
        }
      }
      rows.add(new Row(name, inA.contains(name), inB.contains(name), ha, hb, def, cells));
    }
    return new CampaignComparison(a, b, rows);
  }

  /**
   * The cells of {@code metrics} that got worse beyond the intervals, in experiments whose
   * definition did not change (a changed experiment is not the same measurement).
   */
  public List<Regression> regressions(List<ReportMetric> metrics) {
    List<Regression> out = new ArrayList<>();
    for (Row r : experiments) {
      if (r.definition() == Definition.CHANGED) {
        continue;
      }
      for (Cell c : r.cells()) {
        if (metrics.contains(c.metric()) && c.verdict() == Verdict.WORSE) {
          out.add(new Regression(r.experiment(), c));
        }
      }
    }
    return out;
  }

  /** A metric of an experiment that got worse beyond the intervals. */
  public record Regression(String experiment, Cell cell) {}

  /** {@code report --compare --json}: cli-contract.md, "Comparing two campaigns". */
  public Map<String, Object> toJson(List<ReportMetric> failOn) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("a", side(a));
    out.put("b", side(b));
    out.put("confidence", ComparableNumbers.CONFIDENCE);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Row r : experiments) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("experiment", r.experiment());
      row.put("in", r.inA() && r.inB() ? "both" : r.inA() ? "a" : "b");
      row.put("definition", r.definition().json());
      row.put("hashA", r.hashA());
      row.put("hashB", r.hashB());
      Map<String, Object> metrics = new LinkedHashMap<>();
      for (Cell c : r.cells()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", stats(c.a()));
        m.put("b", stats(c.b()));
        m.put("changePercent", c.changePercent());
        m.put("overlap", c.overlap());
        m.put("verdict", c.verdict().json());
        m.put("higherIsBetter", c.metric().higherIsBetter());
        m.put("note", c.note());
        metrics.put(c.metric().key(), m);
      }
      row.put("metrics", metrics);
      rows.add(row);
    }
    out.put("experiments", rows);
    out.put("failOn", failOn.stream().map(ReportMetric::key).toList());
    List<Map<String, Object>> regressions = new ArrayList<>();
    for (Regression g : regressions(failOn)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("experiment", g.experiment());
      m.put("metric", g.cell().metric().key());
      m.put("changePercent", g.cell().changePercent());
      regressions.add(m);
    }
    out.put("regressions", regressions);
    return out;
  }

  private static Map<String, Object> side(Side s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("campaign", s.campaign());
    m.put("folder", s.folder().toString());
    m.put("planHash", s.planHash());
    return m;
  }

  private static Map<String, Object> stats(ComparableNumbers.MetricRow r) {
    if (r == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("n", r.stats().n());
    m.put("mean", r.stats().mean());
    Interval i = r.interval();
    m.put("halfWidth", i == null ? null : i.halfWidth());
    m.put("low", i == null ? null : i.low());
    m.put("high", i == null ? null : i.high());
    return m;
  }

  private static ComparableNumbers.MetricRow row(
      ComparableNumbers n, String experiment, ReportMetric m) {
    for (ComparableNumbers.MetricRow r : n.rowsOf(experiment)) {
      if (r.metric() == m) {
        return r;
      }
    }
    return null;
  }

  /**
   * Each experiment's definition hash: from campaign.json when {@code run} wrote them there, else
   * computed from the campaign file campaign.json names when it still loads (as it is now), else
   * none.
   */
  static Map<String, String> hashes(CampaignRecord record) {
    if (record == null) {
      return Map.of();
    }
    if (record.experiments() != null) {
      return record.experiments();
    }
    if (record.file() == null || !java.nio.file.Files.isRegularFile(Path.of(record.file()))) {
      return Map.of();
    }
    try {
      return PlanChanges.experimentHashes(CampaignLoader.load(Path.of(record.file())).campaign());
    } catch (CampaignFileException | RuntimeException e) {
      return Map.of(); // a file that no longer loads says nothing about the definitions
    }
  }
}
