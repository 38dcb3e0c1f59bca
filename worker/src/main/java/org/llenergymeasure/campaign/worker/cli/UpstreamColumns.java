package org.llenergymeasure.campaign.worker.cli;

import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.worker.report.UpstreamResult;

/**
 * llenergymeasure's own figures in {@code results}: the table's {@code llem *} columns and notes,
 * the RUN's {@code llenergymeasure} object and the {@code llem.*} CSV columns
 * (docs/llenergymeasure.md). They appear only when at least one run's result is llenergymeasure's
 * own; in them, "-" means the run's result is not, "absent" that it does not give the field.
 */
final class UpstreamColumns {

  static final String ABSENT = "absent";

  static final String TABLE_FORMAT = "%-12s %-11s %-10s %-10s %-13s ";

  static final List<String> TABLE_HEADERS =
      List.of("llem energy", "llem tokens", "llem J/tok", "llem tok/s", "llem adjusted");

  static final List<String> CSV_COLUMNS =
      List.of(
          "llem.shape",
          "llem.version",
          "llem.energyJ",
          "llem.tokens",
          "llem.tokensSource",
          "llem.jPerToken",
          "llem.tokensPerS",
          "llem.inferenceS",
          "llem.adjustedEnergyJ",
          "llem.baselinePowerW",
          "llem.throttled",
          "llem.warnings");

  private UpstreamColumns() {}

  /** Whether any of the runs has llenergymeasure's own result (the columns are shown then). */
  static boolean any(List<LedgerEntry> runs) {
    return runs.stream().anyMatch(r -> UpstreamResult.recognises(r.result()));
  }

  /** The table's cells of a run. */
  static List<String> tableCells(LedgerEntry r) {
    UpstreamResult u = UpstreamResult.of(r.result());
    if (u == null) {
      return List.of("-", "-", "-", "-", "-");
    }
    return List.of(
        format("%.1f J", u.energyJ()),
        format("%.0f", u.tokens()),
        format("%.4f", u.jPerToken()),
        format("%.1f", u.tokensPerS()),
        format("%.1f J", u.adjustedEnergyJ()));
  }

  /**
   * The lines under the table: where the numbers come from, token fallbacks, throttling, warnings.
   */
  static List<String> notes(List<LedgerEntry> runs) {
    List<String> out = new ArrayList<>();
    for (LedgerEntry r : runs) {
      UpstreamResult u = UpstreamResult.of(r.result());
      if (u == null) {
        continue;
      }
      if (u.tokensSource() == null) {
        out.add("llem tokens of " + r.runId() + ": absent (no total, input or output tokens)");
      } else if (!UpstreamResult.TOTAL.equals(u.tokensSource())) {
        out.add(
            "llem tokens of " + r.runId() + ": " + u.tokensSource() + " (total_tokens is absent)");
      }
      if (Boolean.TRUE.equals(u.throttled())) {
        out.add("llem throttling detected in " + r.runId());
      }
      if (!u.warnings().isEmpty()) {
        out.add(
            "llem warnings of "
                + r.runId()
                + " ("
                + u.warnings().size()
                + "): "
                + String.join("; ", u.warnings()));
      }
    }
    out.add(
        0,
        "llem columns: llenergymeasure's own result (NVML devices by index, as it sees them);"
            + " host columns: the host's measurement of the routed GPUs by UUID"
            + " (docs/llenergymeasure.md)");
    return out;
  }

  /** The RUN of {@code results --json} with its {@code llenergymeasure} object (or null). */
  static ObjectNode jsonRun(LedgerEntry r) {
    ObjectNode run = Console.mapper().valueToTree(r);
    UpstreamResult u = UpstreamResult.of(r.result());
    run.set(
        "llenergymeasure",
        u == null ? NullNode.getInstance() : Console.mapper().valueToTree(u.toJson()));
    return run;
  }

  /** The CSV cells of a run (empty when absent or not llenergymeasure's result). */
  static List<String> csvCells(LedgerEntry r) {
    UpstreamResult u = UpstreamResult.of(r.result());
    if (u == null) {
      return CSV_COLUMNS.stream().map(c -> "").toList();
    }
    return List.of(
        orEmpty(u.shape()),
        orEmpty(u.version()),
        text(u.energyJ()),
        u.tokens() == null ? "" : format("%.0f", u.tokens()),
        orEmpty(u.tokensSource()),
        text(u.jPerToken()),
        text(u.tokensPerS()),
        text(u.inferenceS()),
        text(u.adjustedEnergyJ()),
        text(u.baselinePowerW()),
        u.throttled() == null ? "" : u.throttled().toString(),
        String.join("; ", u.warnings()));
  }

  private static String format(String pattern, Double v) {
    return v == null ? ABSENT : String.format(Locale.ROOT, pattern, v);
  }

  private static String text(Double v) {
    return v == null ? "" : Double.toString(v);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
