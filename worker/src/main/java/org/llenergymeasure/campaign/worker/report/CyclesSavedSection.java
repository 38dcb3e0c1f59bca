package org.llenergymeasure.campaign.worker.report;

import static org.llenergymeasure.campaign.worker.report.HtmlReport.esc;

import java.util.Locale;

/**
 * The table {@code #cycles-saved-table} after the convergence trace: per experiment of an adaptive
 * campaign the cycles it ran of its max, what stopped it, and the GPU time and energy it used,
 * would have used over all max cycles (estimated) and saved; a total row.
 */
final class CyclesSavedSection {

  private CyclesSavedSection() {}

  static void render(StringBuilder h, CycleSavings s) {
    if (s == null) {
      return;
    }
    h.append("<h3 id=\"cycles-saved\">Cycles needed and GPU time saved</h3>\n")
        .append("<p>Each experiment's cycles against the campaign file's <code>max</code>: it")
        .append(" stopped at its target, at max, or ended before either (then what it would")
        .append(
            " have saved is unknown: no figure, and no total saving). GPU time is each attempt's host-measured await (else its")
        .append(" start to finish) times its routed GPUs, over all attempts, failed ones too;")
        .append(" energy is the host's over the await. The max-cycles and saved figures are")
        .append(" estimates: the cycles not run, each at the experiment's own mean per valid")
        .append(" run.</p>\n")
        .append("<table id=\"cycles-saved-table\"><tr><th>experiment</th>")
        .append("<th>cycles run / max</th><th>stopped by</th><th>GPU time used</th>")
        .append("<th>GPU time of max cycles (est.)</th><th>saved</th><th>saved %</th>")
        .append("<th>energy used</th><th>energy of max cycles (est.)</th><th>saved</th>")
        .append("<th>saved %</th></tr>\n");
    s.experiments()
        .forEach(
            (name, e) -> {
              h.append("<tr><td>")
                  .append(esc(name))
                  .append("</td><td class=\"num\">")
                  .append(e.cyclesRun())
                  .append(" / ")
                  .append(e.max())
                  .append("</td><td>")
                  .append(e.stoppedBy())
                  .append("</td>");
              figures(h, e.figures());
            });
    h.append("<tr><th>total</th><td></td><td></td>");
    figures(h, s.total());
    h.append("</table>\n");
    if (s.total().unmeasuredAttempts() > 0) {
      h.append("<p class=\"muted\">")
          .append(s.total().unmeasuredAttempts())
          .append(" attempt(s) had neither a host measurement nor both timestamps: not in the")
          .append(" GPU time.</p>\n");
    }
  }

  private static void figures(StringBuilder h, CycleSavings.Figures f) {
    cell(h, time(f.gpuSeconds()));
    cell(h, time(f.fixedGpuSeconds()));
    cell(h, time(f.savedGpuSeconds()));
    cell(h, IntervalSection.percent(f.savedFraction()));
    cell(h, energy(f.energyJ()));
    cell(h, energy(f.fixedEnergyJ()));
    cell(h, energy(f.savedEnergyJ()));
    cell(h, IntervalSection.percent(f.savedEnergyFraction()));
    h.append("</tr>\n");
  }

  private static void cell(StringBuilder h, String text) {
    h.append("<td class=\"num\">").append(text).append("</td>");
  }

  /** GPU-seconds in s below 2 min, in min below 2 h, else in h. */
  static String time(Double s) {
    if (s == null) {
      return "—";
    }
    if (s < 120) {
      return String.format(Locale.ROOT, "%.1f s", s);
    }
    return s < 7200
        ? String.format(Locale.ROOT, "%.1f min", s / 60)
        : String.format(Locale.ROOT, "%.2f h", s / 3600);
  }

  /** Joules in J below 1 kJ, in kJ below 1 MJ, else in MJ. */
  static String energy(Double j) {
    if (j == null) {
      return "—";
    }
    if (Math.abs(j) < 1000) {
      return String.format(Locale.ROOT, "%.0f J", j);
    }
    return Math.abs(j) < 1e6
        ? String.format(Locale.ROOT, "%.1f kJ", j / 1000)
        : String.format(Locale.ROOT, "%.2f MJ", j / 1e6);
  }
}
