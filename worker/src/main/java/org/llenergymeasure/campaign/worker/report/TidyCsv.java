package org.llenergymeasure.campaign.worker.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code runs.csv}: the valid runs as a tidy table for pandas or R, one row per valid run (its last
 * attempt: completed and not ruled invalid), one column per variable. Columns: {@code campaign,
 * experiment, run_id, cycle, attempt, host}, then {@code label_<key>} for each label key of the
 * campaign file's experiments (sorted), then one column per metric named by its quantity and unit
 * ({@code energy_J, energy_adjusted_J, energy_per_token_J, energy_per_token_adjusted_J,
 * throughput_tokens_per_s}), then {@code energy_source} and {@code validity_reasons} (codes joined
 * by {@code ;}). An unknown value is an empty field. RFC 4180: CRLF line ends, a field holding a
 * comma, a double quote, CR or LF in double quotes with its quotes doubled.
 */
public final class TidyCsv {

  public static final String FILE = "runs.csv";

  private TidyCsv() {}

  /** The header row's names. */
  public static List<String> header(ReportData data) {
    List<String> h =
        new ArrayList<>(List.of("campaign", "experiment", "run_id", "cycle", "attempt", "host"));
    data.settings().labelKeys().forEach(k -> h.add("label_" + k));
    for (ReportMetric m : ReportMetric.values()) {
      h.add(m.column());
    }
    h.add("energy_source");
    h.add("validity_reasons");
    return h;
  }

  public static String render(ReportData data) {
    StringBuilder out = new StringBuilder();
    line(out, header(data));
    for (AttemptRecord r : data.runs()) {
      if (!r.valid()) {
        continue;
      }
      List<String> row = new ArrayList<>();
      row.add(data.campaign());
      row.add(r.entry().experiment());
      row.add(r.entry().runId());
      row.add(Integer.toString(r.entry().cycle()));
      row.add(Integer.toString(r.entry().attempt()));
      row.add(r.entry().host());
      Map<String, String> labels =
          data.settings().labels().getOrDefault(r.entry().experiment(), Map.of());
      data.settings().labelKeys().forEach(k -> row.add(labels.get(k)));
      for (ReportMetric m : ReportMetric.values()) {
        Double v = r.numbers().get(m);
        row.add(v == null ? null : Double.toString(v));
      }
      row.add(r.numbers().energySource());
      row.add(String.join(";", r.numbers().reasons()));
      line(out, row);
    }
    return out.toString();
  }

  private static void line(StringBuilder out, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(field(cells.get(i)));
    }
    out.append("\r\n");
  }

  static String field(String v) {
    if (v == null) {
      return "";
    }
    boolean quote = v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0;
    return quote || v.indexOf('\r') >= 0 ? '"' + v.replace("\"", "\"\"") + '"' : v;
  }
}
