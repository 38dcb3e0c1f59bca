package org.llenergymeasure.campaign.worker.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.measurement.AttemptMetrics;
import org.llenergymeasure.campaign.activities.measurement.HostMeasurement;
import org.llenergymeasure.campaign.activities.measurement.Validity;

/**
 * {@code results}' per-run metrics and validity verdict (table and CSV). A line written before the
 * ledger carried {@code metrics} has them computed from its host measurement and result, the same
 * way collect does; one without {@code validity} shows none.
 */
final class MetricColumns {

  static final String TABLE_FORMAT = "%-14s %-12s %-12s %-28s ";
  static final List<String> TABLE_HEADERS =
      List.of("adjusted", "J/token", "adj J/token", "validity");

  /** Appended after every other column, so that no existing column moves. */
  static final List<String> CSV_COLUMNS =
      List.of(
          "host.energyAdjustedJ",
          "host.windowEnergyAdjustedJ",
          "metrics.energyJ",
          "metrics.energyAdjustedJ",
          "metrics.energyPerTokenJ",
          "metrics.energyPerTokenAdjustedJ",
          "metrics.tokensPerSecond",
          "metrics.energySource",
          "validity.valid",
          "validity.reasons",
          "validity.notes");

  private MetricColumns() {}

  /**
   * The line's metrics, or those computed from it for an older line; null when it has no result.
   */
  static AttemptMetrics metrics(LedgerEntry r) {
    if (r.metrics() != null) {
      return r.metrics();
    }
    return r.result() == null ? null : AttemptMetrics.of(r.hostMeasurement(), r.result());
  }

  static List<String> tableCells(LedgerEntry r) {
    AttemptMetrics m = metrics(r);
    return List.of(
        m == null || m.energyAdjustedJ() == null ? "-" : format("%.1f J", m.energyAdjustedJ()),
        m == null || m.energyPerTokenJ() == null ? "-" : format("%.4g", m.energyPerTokenJ()),
        m == null || m.energyPerTokenAdjustedJ() == null
            ? "-"
            : format("%.4g", m.energyPerTokenAdjustedJ()),
        verdict(r.validity()));
  }

  /** {@code ok}, {@code ok (SAMPLE_GAP)} (warnings), {@code invalid (BELOW_IDLE)}, or "-". */
  static String verdict(Validity v) {
    if (v == null) {
      return "-";
    }
    String word = v.valid() ? "ok" : "invalid";
    return v.reasons().isEmpty() ? word : word + " (" + String.join(",", v.reasons()) + ")";
  }

  static List<String> csvCells(LedgerEntry r) {
    HostMeasurement h = r.hostMeasurement();
    AttemptMetrics m = metrics(r);
    Validity v = r.validity();
    List<String> out = new ArrayList<>();
    out.add(h == null ? "" : text(h.energyAdjustedJ()));
    out.add(h == null || h.window() == null ? "" : text(h.window().energyAdjustedJ()));
    out.add(m == null ? "" : text(m.energyJ()));
    out.add(m == null ? "" : text(m.energyAdjustedJ()));
    out.add(m == null ? "" : text(m.energyPerTokenJ()));
    out.add(m == null ? "" : text(m.energyPerTokenAdjustedJ()));
    out.add(m == null ? "" : text(m.tokensPerSecond()));
    out.add(m == null || m.energySource() == null ? "" : m.energySource());
    out.add(v == null ? "" : Boolean.toString(v.valid()));
    out.add(v == null ? "" : String.join(" ", v.reasons()));
    out.add(v == null ? "" : String.join(" ", v.notes()));
    return out;
  }

  private static String text(Double v) {
    return v == null ? "" : Double.toString(v);
  }

  private static String format(String pattern, Double v) {
    return String.format(Locale.ROOT, pattern, v);
  }
}
