package org.llenergymeasure.campaign.worker.report;

import static org.llenergymeasure.campaign.worker.report.HtmlReport.esc;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;
import org.llenergymeasure.campaign.workflows.cycles.Interval;

/**
 * The report's "Numbers to publish" section: per experiment and metric the valid runs, mean, 95 %
 * interval and CV (table {@code #intervals-table}), the pairs whose intervals overlap ({@code
 * #overlaps-table}), the convergence trace ({@code #convergence-table}) and, for adaptive cycles,
 * the cycles each experiment needed ({@code #cycles-saved-table}, {@link CyclesSavedSection}).
 */
final class IntervalSection {

  /** The most overlapping pairs the page lists. */
  static final int SHOWN = 200;

  private IntervalSection() {}

  static void render(StringBuilder h, ComparableNumbers numbers, Chart convergenceChart) {
    h.append("<h2 id=\"numbers\">Numbers to publish</h2>\n")
        .append("<p>Over each experiment's valid runs (completed, not ruled invalid by the")
        .append(" measurement checks): n, the mean, its 95 % Student-t confidence interval and the")
        .append(" coefficient of variation (sample standard deviation / mean). An interval needs")
        .append(" 2 runs. Intervals of two experiments that overlap are marked: the difference")
        .append(" between them is not established at 95 %.</p>\n");
    if (numbers.rows().isEmpty()) {
      h.append("<p class=\"muted\">No valid run reported a metric.</p>\n");
      return;
    }
    h.append("<table id=\"intervals-table\"><tr><th>experiment</th><th>metric</th><th>n</th>")
        .append("<th>mean</th><th>95 % interval</th><th>± (relative)</th><th>CV</th></tr>\n");
    for (ComparableNumbers.MetricRow r : numbers.rows()) {
      Interval i = r.interval();
      h.append("<tr><td>")
          .append(esc(r.experiment()))
          .append("</td><td>")
          .append(esc(r.metric().label()))
          .append("</td><td class=\"num\">")
          .append(r.stats().n())
          .append("</td><td class=\"num\">")
          .append(sig(r.stats().mean()))
          .append("</td>");
      if (i == null) {
        h.append("<td class=\"muted\" colspan=\"2\">one valid run: no interval</td>");
      } else {
        h.append("<td class=\"num\">").append(sig(i.low())).append(" – ").append(sig(i.high()));
        if (numbers.overlapsAny(r)) {
          h.append(" <span class=\"badge\">overlaps</span>");
        }
        h.append("</td><td class=\"num\">± ")
            .append(sig(i.halfWidth()))
            .append(" (")
            .append(percent(ComparableNumbers.finite(i.relativeHalfWidth())))
            .append(")</td>");
      }
      h.append("<td class=\"num\">").append(percent(r.cv())).append("</td></tr>\n");
    }
    h.append("</table>\n");
    overlaps(h, numbers);
    convergence(h, numbers.convergence());
    HtmlReport.figure(h, convergenceChart);
  }

  private static void overlaps(StringBuilder h, ComparableNumbers numbers) {
    h.append("<h3 id=\"overlaps\">Not distinguishable at 95 %</h3>\n");
    List<ComparableNumbers.Overlap> overlaps = numbers.overlaps();
    if (overlaps.isEmpty()) {
      h.append("<p>No two experiments' intervals of a metric overlap.</p>\n");
      return;
    }
    h.append("<p>Pairs of experiments (among all of this report) whose 95 % intervals of a")
        .append(" metric overlap.</p>\n")
        .append("<table id=\"overlaps-table\"><tr><th>metric</th><th>experiment</th>")
        .append("<th>interval</th><th>experiment</th><th>interval</th></tr>\n");
    for (ComparableNumbers.Overlap o : overlaps.subList(0, Math.min(overlaps.size(), SHOWN))) {
      h.append("<tr><td>")
          .append(esc(o.metric().label()))
          .append("</td><td>")
          .append(esc(o.a().experiment()))
          .append("</td><td class=\"num\">")
          .append(range(o.a().interval()))
          .append("</td><td>")
          .append(esc(o.b().experiment()))
          .append("</td><td class=\"num\">")
          .append(range(o.b().interval()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
    if (numbers.overlapCount() > SHOWN) {
      h.append("<p class=\"muted\">")
          .append(SHOWN)
          .append(" of ")
          .append(numbers.overlapCount())
          .append(" pairs shown; <code>numbers.json</code> lists up to ")
          .append(ComparableNumbers.MAX_PAIRS)
          .append(".</p>\n");
    }
  }

  private static void convergence(StringBuilder h, ConvergenceTrace t) {
    if (t == null) {
      return;
    }
    h.append("<h3 id=\"convergence\">Convergence over cycles</h3>\n<p>After each cycle, the ")
        .append(sig(t.confidence() * 100))
        .append(" %")
        .append(" interval of <code>")
        .append(esc(t.metric()))
        .append("</code> over the valid runs so far");
    if (t.fromCampaignFile()) {
      h.append(" (the campaign file's <code>execution.cycles.until</code>");
      if (t.target() != null) {
        h.append(": target ± ").append(pct(t.target())).append(", reached marked ✓");
      }
      h.append(")");
    } else {
      h.append(" (no <code>until</code> in the campaign file: the report's default metric)");
    }
    h.append(".</p>\n<table id=\"convergence-table\"><tr><th>experiment</th><th>cycle</th>")
        .append("<th>n</th><th>mean</th><th>±</th><th>relative</th></tr>\n");
    t.experiments()
        .forEach(
            (name, points) -> {
              for (ConvergenceTrace.Point p : points) {
                h.append("<tr><td>")
                    .append(esc(name))
                    .append("</td><td class=\"num\">")
                    .append(p.cycle())
                    .append("</td><td class=\"num\">")
                    .append(p.n())
                    .append("</td><td class=\"num\">")
                    .append(p.mean() == null ? "" : sig(p.mean()))
                    .append("</td><td class=\"num\">")
                    .append(p.halfWidth() == null ? "" : sig(p.halfWidth()))
                    .append("</td><td class=\"num\">")
                    .append(percent(p.relativeHalfWidth()))
                    .append(t.reached(p) ? " <span class=\"ok\">✓</span>" : "")
                    .append("</td></tr>\n");
              }
            });
    h.append("</table>\n");
    CyclesSavedSection.render(h, t.savings());
  }

  private static String range(Interval i) {
    return sig(i.low()) + " – " + sig(i.high());
  }

  /** Four significant digits, without an exponent. */
  static String sig(double v) {
    if (!Double.isFinite(v)) {
      return Double.toString(v);
    }
    return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }

  static String percent(Double fraction) {
    return fraction == null ? "" : pct(fraction);
  }

  private static String pct(double fraction) {
    return String.format(Locale.ROOT, "%.2f %%", fraction * 100);
  }
}
