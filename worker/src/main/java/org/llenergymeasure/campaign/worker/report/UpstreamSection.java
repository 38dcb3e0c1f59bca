package org.llenergymeasure.campaign.worker.report;

import static org.llenergymeasure.campaign.worker.report.HtmlReport.cell;
import static org.llenergymeasure.campaign.worker.report.HtmlReport.esc;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The report's per-experiment table of llenergymeasure's own figures (its result JSON), beside the
 * host's measurement; only experiments with such runs, and nothing when there are none.
 */
final class UpstreamSection {

  static final String ABSENT = "absent";

  /** A column; {@code host} columns show why not ("no host measurement") rather than "absent". */
  private record Column(String header, Function<ExperimentSummary, Spread> spread, boolean host) {
    Column(String header, Function<ExperimentSummary, Spread> spread) {
      this(header, spread, false);
    }
  }

  private static final List<Column> COLUMNS =
      List.of(
          new Column("energy (J)", e -> e.upstream(UpstreamResult::energyJ)),
          new Column("tokens", e -> e.upstream(UpstreamResult::tokens)),
          new Column("energy per token (J/token)", e -> e.upstream(UpstreamResult::jPerToken)),
          new Column("throughput (tokens/s)", e -> e.upstream(UpstreamResult::tokensPerS)),
          new Column("inference time (s)", e -> e.upstream(UpstreamResult::inferenceS)),
          new Column(
              "baseline-adjusted energy (J)", e -> e.upstream(UpstreamResult::adjustedEnergyJ)),
          new Column("baseline power (W)", e -> e.upstream(UpstreamResult::baselinePowerW)),
          new Column("host energy (J)", ExperimentSummary::hostEnergyJ, true),
          new Column(
              "host J per llenergymeasure token",
              ExperimentSummary::hostJoulesPerUpstreamToken,
              true));

  private UpstreamSection() {}

  static void render(StringBuilder h, ReportData data) {
    List<ExperimentSummary> shown =
        data.experiments().stream().filter(ExperimentSummary::hasUpstream).toList();
    if (shown.isEmpty()) {
      return;
    }
    h.append("<h2 id=\"llenergymeasure\">llenergymeasure's own figures</h2>\n")
        .append(
            "<p>From each completed run's llenergymeasure result (its own NVML measurement of the GPUs")
        .append(" it sees by index), mean ± sample standard deviation over the completed cycles,")
        .append(" beside the host's measurement of exactly the routed GPUs (by UUID), the one to")
        .append(" trust when they differ. <i>absent</i>: the result does not give the field.</p>\n")
        .append("<table id=\"llenergymeasure-table\"><tr><th>experiment</th><th>result shape</th>");
    COLUMNS.forEach(c -> h.append("<th>").append(esc(c.header())).append("</th>"));
    h.append("<th>throttling detected</th><th>warnings</th></tr>\n");
    for (ExperimentSummary e : shown) {
      List<UpstreamResult> done =
          e.runs().stream()
              .filter(AttemptRecord::completed)
              .map(AttemptRecord::upstream)
              .filter(Objects::nonNull)
              .toList();
      h.append("<tr><td>")
          .append(esc(e.experiment()))
          .append("</td><td>")
          .append(
              esc(
                  String.join(
                      ", ",
                      done.stream()
                          .map(u -> u.shape() == null ? ABSENT : describe(u))
                          .distinct()
                          .toList())))
          .append("</td>");
      String none = done.isEmpty() ? "no completed run" : ABSENT;
      COLUMNS.forEach(
          c ->
              cell(
                  h,
                  c.spread().apply(e),
                  c.host() && !done.isEmpty() ? "no host measurement" : none));
      long known = done.stream().filter(u -> u.throttled() != null).count();
      long throttled = done.stream().filter(u -> Boolean.TRUE.equals(u.throttled())).count();
      h.append("<td>")
          .append(known == 0 ? none : throttled + " of " + known + " runs")
          .append("</td><td>");
      List<String> warnings = done.stream().flatMap(u -> u.warnings().stream()).distinct().toList();
      h.append(esc(String.join("; ", warnings))).append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  /** "yes", "no" or "absent". */
  static String throttled(Boolean detected) {
    return detected == null ? ABSENT : detected ? "yes" : "no";
  }

  private static String describe(UpstreamResult u) {
    return u.version() == null ? u.shape() : u.shape() + " (llenergymeasure " + u.version() + ")";
  }
}
