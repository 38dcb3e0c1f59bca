package org.llenergymeasure.campaign.worker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.measurement.HostMeasurement;
import org.llenergymeasure.campaign.activities.measurement.MeasuredWindow;

/** {@code results --csv}: one row per run, the result object's scalar fields as columns. */
final class ResultsCsv {

  private ResultsCsv() {}

  static void write(List<LedgerEntry> runs, PrintStream out) {
    Set<String> resultKeys = new LinkedHashSet<>();
    for (LedgerEntry r : runs) {
      if (r.result() != null && r.result().isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> it = r.result().fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> f = it.next();
          if (f.getValue().isValueNode()) {
            resultKeys.add(f.getKey());
          }
        }
      }
    }
    List<String> header =
        new ArrayList<>(
            List.of(
                "runId",
                "experiment",
                "cycle",
                "attempt",
                "status",
                "host",
                "uuids",
                "verifiedUuids",
                "errorType",
                "errorMessage",
                "startedAt",
                "finishedAt",
                "resultDir"));
    resultKeys.forEach(k -> header.add("result." + k));
    // Added after the result columns so that existing column positions never move.
    header.addAll(HOST_COLUMNS);
    header.addAll(WINDOW_COLUMNS);
    // llenergymeasure's own figures, only when a run has its result (like result.*, by content).
    boolean llem = UpstreamColumns.any(runs);
    if (llem) {
      header.addAll(UpstreamColumns.CSV_COLUMNS);
    }
    header.addAll(MetricColumns.CSV_COLUMNS);
    out.println(String.join(",", header.stream().map(ResultsCsv::cell).toList()));
    for (LedgerEntry r : runs) {
      List<String> row = new ArrayList<>();
      row.add(r.runId());
      row.add(r.experiment());
      row.add(Integer.toString(r.cycle()));
      row.add(Integer.toString(r.attempt()));
      row.add(r.status());
      row.add(r.host());
      row.add(r.routing() == null ? "" : String.join(" ", r.routing().uuids()));
      row.add(String.join(" ", r.verifiedUuids()));
      row.add(r.error() == null ? "" : r.error().type());
      row.add(r.error() == null ? "" : r.error().message());
      row.add(r.startedAt());
      row.add(r.finishedAt());
      row.add(r.resultDir());
      for (String k : resultKeys) {
        JsonNode v = r.result() == null ? null : r.result().get(k);
        row.add(v == null || v.isNull() ? "" : v.asText());
      }
      row.addAll(hostCells(r));
      row.addAll(windowCells(r.hostMeasurement()));
      if (llem) {
        row.addAll(UpstreamColumns.csvCells(r));
      }
      row.addAll(MetricColumns.csvCells(r));
      out.println(String.join(",", row.stream().map(ResultsCsv::cell).toList()));
    }
    out.flush();
  }

  static final List<String> HOST_COLUMNS =
      List.of(
          "host.energyJ",
          "host.method",
          "host.meanPowerW",
          "host.peakPowerW",
          "host.peakTemperatureC",
          "host.thermalThrottleS",
          "host.idlePowerW",
          "host.note");

  /** The host's energy over the run's own window (after the host columns, added later). */
  static final List<String> WINDOW_COLUMNS =
      List.of("host.windowEnergyJ", "host.windowDurationS", "host.windowNote");

  private static List<String> windowCells(HostMeasurement m) {
    MeasuredWindow w = m == null ? null : m.window();
    if (w == null) {
      return List.of("", "", "");
    }
    return List.of(text(w.energyJ()), text(w.durationS()), w.note() == null ? "" : w.note());
  }

  private static List<String> hostCells(LedgerEntry r) {
    HostMeasurement m = r.hostMeasurement();
    if (m == null) {
      return List.of(
          "",
          "",
          "",
          "",
          "",
          "",
          "",
          r.hostMeasurementNote() == null ? "" : r.hostMeasurementNote());
    }
    return List.of(
        text(m.energyJ()),
        m.method() == null ? "" : m.method(),
        text(m.meanPowerW()),
        text(m.peakPowerW()),
        m.peakTemperatureC() == null ? "" : m.peakTemperatureC().toString(),
        text(m.thermalThrottleS()),
        text(m.idlePowerW()),
        "");
  }

  private static String text(Double v) {
    return v == null ? "" : Double.toString(v);
  }

  private static String cell(String value) {
    if (value == null) {
      return "";
    }
    boolean quote = value.contains(",") || value.contains("\"") || value.contains("\n");
    return quote ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
  }
}
