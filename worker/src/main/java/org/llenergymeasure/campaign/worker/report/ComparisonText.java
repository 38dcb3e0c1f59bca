package org.llenergymeasure.campaign.worker.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The human form of {@code report --compare A B}: a table, one line per experiment and metric. */
public final class ComparisonText {

  private ComparisonText() {}

  public static List<String> render(CampaignComparison c, List<ReportMetric> failOn) {
    List<String> out = new ArrayList<>();
    out.add("A: " + c.a().campaign() + " (" + c.a().folder() + ", plan " + c.a().planHash() + ")");
    out.add("B: " + c.b().campaign() + " (" + c.b().folder() + ", plan " + c.b().planHash() + ")");
    List<String[]> table = new ArrayList<>();
    table.add(
        new String[] {
          "experiment",
          "metric",
          "A mean ± 95% (n)",
          "B mean ± 95% (n)",
          "change",
          "overlap",
          "verdict"
        });
    List<String> onlyA = new ArrayList<>();
    List<String> onlyB = new ArrayList<>();
    for (CampaignComparison.Row r : c.experiments()) {
      if (!r.inB()) {
        onlyA.add(r.experiment());
        continue;
      }
      if (!r.inA()) {
        onlyB.add(r.experiment());
        continue;
      }
      String name =
          r.experiment()
              + (r.definition() == CampaignComparison.Definition.CHANGED
                  ? " (CHANGED " + r.hashA() + " -> " + r.hashB() + ")"
                  : r.definition() == CampaignComparison.Definition.UNKNOWN
                      ? " (definition unknown)"
                      : "");
      for (CampaignComparison.Cell cell : r.cells()) {
        Double change = cell.changePercent();
        Boolean overlap = cell.overlap();
        String verdict = cell.verdict().json();
        if (cell.note() != null) {
          verdict += " (" + cell.note() + ")";
        }
        table.add(
            new String[] {
              name,
              cell.metric().key(),
              value(cell.a()),
              value(cell.b()),
              change == null ? "-" : String.format(Locale.ROOT, "%+.1f %%", change),
              overlap == null ? "-" : overlap ? "yes" : "no",
              verdict
            });
      }
    }
    out.addAll(align(table));
    if (!onlyA.isEmpty()) {
      out.add("only in A: " + String.join(", ", onlyA));
    }
    if (!onlyB.isEmpty()) {
      out.add("only in B: " + String.join(", ", onlyB));
    }
    if (!failOn.isEmpty()) {
      List<CampaignComparison.Regression> regressions = c.regressions(failOn);
      out.add(
          regressions.isEmpty()
              ? "no regression in "
                  + String.join(", ", failOn.stream().map(ReportMetric::key).toList())
              : "REGRESSION: "
                  + String.join(
                      ", ",
                      regressions.stream()
                          .map(g -> g.experiment() + " " + g.cell().metric().key())
                          .toList())
                  + " got worse beyond the 95% intervals");
    }
    return out;
  }

  private static String value(ComparableNumbers.MetricRow r) {
    if (r == null) {
      return "-";
    }
    String mean = number(r.stats().mean());
    return (r.interval() == null ? mean : mean + " ± " + number(r.interval().halfWidth()))
        + " ("
        + r.stats().n()
        + ")";
  }

  static String number(double v) {
    return String.format(Locale.ROOT, "%.4g", v);
  }

  private static List<String> align(List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
    }
    List<String> out = new ArrayList<>();
    for (String[] r : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        b.append(i == r.length - 1 ? r[i] : String.format("%-" + widths[i] + "s  ", r[i]));
      }
      out.add(b.toString().stripTrailing());
    }
    return out;
  }
}
