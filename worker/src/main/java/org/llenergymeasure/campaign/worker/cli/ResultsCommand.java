package org.llenergymeasure.campaign.worker.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.ledger.RunLedger;
import org.llenergymeasure.campaign.worker.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "results",
    mixinStandardHelpOptions = true,
    description = {
      "Print each run's last attempt from the campaign's ledger (<results>/<campaign>/ledger.jsonl):"
          + " status, host, routed and verified GPUs, result and error, the host's own measurement,"
          + " the idle-adjusted and per-token energy, the validity verdict and,"
          + " for runs of llenergymeasure itself, its own figures (llem columns)."
          + " Works without a server."
    },
    footer = {
      "",
      "Examples:",
      "  llem-campaign results quickstart",
      "  llem-campaign results quickstart --json",
      "  llem-campaign results quickstart --csv > quickstart.csv"
    })
final class ResultsCommand implements Callable<Integer> {

  @Parameters(paramLabel = "CAMPAIGN", description = "The campaign name.")
  String campaign;

  @Option(
      names = "--csv",
      description =
          "Flatten to CSV (one row per run; result fields as result.<key>, the host's measurement"
              + " as host.*, llenergymeasure's own figures as llem.*, then the per-run metrics as"
              + " metrics.* and the validity verdict as validity.*).")
  boolean csv;

  @Mixin CommonOptions common;

  @Override
  public Integer call() {
    RunLedger ledger = common.existingLedger(campaign);
    List<LedgerEntry> runs = new ArrayList<>(ledger.latestPerRun().values());
    Console console = Console.system();
    if (common.json()) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("campaign", campaign);
      out.put("runs", runs.stream().map(UpstreamColumns::jsonRun).toList());
      console.json(out);
    } else if (csv) {
      ResultsCsv.write(runs, System.out);
    } else {
      // llenergymeasure's own figures: only when a run has its result, before "GPUs / error".
      boolean llem = UpstreamColumns.any(runs);
      String format =
          "%-36s %-10s %7s  %-14s %-14s %-14s "
              + MetricColumns.TABLE_FORMAT
              + (llem ? UpstreamColumns.TABLE_FORMAT : "")
              + "%s";
      List<Object> header =
          new ArrayList<>(
              List.of("run", "status", "attempt", "host", "host energy", "host window"));
      header.addAll(MetricColumns.TABLE_HEADERS);
      if (llem) {
        header.addAll(UpstreamColumns.TABLE_HEADERS);
      }
      header.add("GPUs / error");
      console.line(String.format(format, header.toArray()));
      for (LedgerEntry r : runs) {
        String detail =
            r.error() != null
                ? r.error().type() + ": " + r.error().message()
                : String.join(",", r.verifiedUuids());
        List<Object> cells =
            new ArrayList<>(
                Arrays.asList(
                    r.runId(),
                    r.status(),
                    Integer.toString(r.attempt()),
                    r.host(),
                    hostEnergy(r),
                    hostWindowEnergy(r)));
        cells.addAll(MetricColumns.tableCells(r));
        if (llem) {
          cells.addAll(UpstreamColumns.tableCells(r));
        }
        cells.add(detail);
        console.line(String.format(format, cells.toArray()));
      }
      notes(runs).forEach(console::line);
      if (llem) {
        UpstreamColumns.notes(runs).forEach(console::line);
      }
    }
    return ExitCodes.OK;
  }

  private static String hostEnergy(LedgerEntry r) {
    if (r.hostMeasurement() == null || r.hostMeasurement().energyJ() == null) {
      return "-";
    }
    return String.format(java.util.Locale.ROOT, "%.1f J", r.hostMeasurement().energyJ());
  }

  /** The host's energy over the run's own window; "-" when the run reported none or it failed. */
  static String hostWindowEnergy(LedgerEntry r) {
    Double j = r.hostMeasurement() == null ? null : r.hostMeasurement().windowEnergyJ();
    return j == null ? "-" : String.format(java.util.Locale.ROOT, "%.1f J", j);
  }

  /** Why runs have no host measurement, each reason once ("no host measurement: ..."). */
  static List<String> notes(List<LedgerEntry> runs) {
    return runs.stream()
        .filter(r -> r.hostMeasurement() == null && r.hostMeasurementNote() != null)
        .map(LedgerEntry::hostMeasurementNote)
        .distinct()
        .toList();
  }
}
