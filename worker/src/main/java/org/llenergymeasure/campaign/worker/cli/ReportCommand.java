package org.llenergymeasure.campaign.worker.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.llenergymeasure.campaign.worker.BadInput;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.worker.report.CampaignReport;
import org.llenergymeasure.campaign.worker.report.ReportData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write a self-contained HTML report of a campaign (one file, charts embedded) and its charts as"
          + " PNGs: per experiment energy, energy per token, throughput and duration with their spread"
          + " over cycles; runs per GPU on a timeline; failures by type; every attempt's routing and"
          + " verification; the campaign file's hash; per experiment and metric over the valid runs"
          + " n, mean, 95% interval and CV, overlapping intervals and the convergence over cycles.",
      "Beside report.html: runs.csv (one row per valid run, one column per metric, the unit in"
          + " its name) and numbers.json (the intervals, overlaps and convergence trace).",
      "Reads the ledger and the attempt folders only: works without a server.",
      "--compare A B prints two campaigns' experiments side by side instead (matched by name):"
          + " each metric's mean and 95% interval in A and in B, the change, whether the intervals"
          + " overlap and the verdict; A and B are campaign names under --results or campaign"
          + " results folders. With --fail-on METRIC it exits 1 when that metric got worse beyond"
          + " the intervals in an experiment whose definition did not change."
    },
    footer = {
      "",
      "Examples:",
      "  llem-campaign report quickstart                 # results/quickstart/report/report.html",
      "  llem-campaign report quickstart --out /tmp/qs   # /tmp/qs/report.html",
      "  llem-campaign report quickstart --csv runs.csv  # and a copy of the tidy CSV",
      "  llem-campaign report --compare qs-old qs-new    # B against A, per experiment",
      "  llem-campaign report --compare base/qs results/qs --fail-on energyPerTokenJ --json"
    })
final class ReportCommand implements Callable<Integer> {

  @Parameters(
      paramLabel = "CAMPAIGN",
      arity = "0..1",
      description = "The campaign name (not with --compare).")
  String campaign;

  @Option(
      names = "--compare",
      arity = "2",
      paramLabel = "A B",
      description =
          "Compare campaign B against campaign A (names under --results, or results folders).")
  List<String> compare;

  @Option(
      names = "--fail-on",
      paramLabel = "METRIC",
      split = ",",
      description =
          "With --compare: exit 1 when METRIC (energyJ, energyAdjustedJ, energyPerTokenJ,"
              + " energyPerTokenAdjustedJ, tokensPerSecond) got worse beyond the 95% intervals.")
  List<String> failOn;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Where to write report.html and the PNGs (default: <results>/<campaign>/report).")
  Path out;

  @Option(
      names = "--csv",
      paramLabel = "FILE",
      description = "Also write the tidy CSV of the valid runs (runs.csv) to FILE.")
  Path csv;

  @Mixin CommonOptions common;

  @Override
  public Integer call() {
    if (compare != null) {
      if (campaign != null || out != null || csv != null) {
        throw new BadInput("--compare A B takes no CAMPAIGN, --out or --csv");
      }
      return new CompareReport(common, compare.get(0), compare.get(1), failOn).print();
    }
    if (campaign == null) {
      throw new BadInput("report needs a CAMPAIGN, or --compare A B");
    }
    if (failOn != null) {
      throw new BadInput("--fail-on applies to --compare A B only");
    }
    // Charts are drawn off-screen; without this a machine with no display could refuse AWT.
    System.setProperty("java.awt.headless", "true");
    common.existingLedger(campaign);
    Path dir =
        (out == null ? common.resultsDir().resolve(campaign).resolve("report") : out)
            .toAbsolutePath()
            .normalize();
    ReportData data = ReportData.load(common.resultsDir(), campaign);
    CampaignReport.Written written = CampaignReport.write(data, dir, Instant.now());
    Path csvCopy = null;
    if (csv != null) {
      csvCopy = csv.toAbsolutePath().normalize();
      try {
        java.nio.file.Files.copy(
            written.csv(), csvCopy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot write " + csvCopy + ": " + e, e);
      }
    }
    Console console = Console.system();
    if (common.json()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("campaign", campaign);
      json.put("html", written.html().toString());
      json.put("charts", written.charts().stream().map(Path::toString).toList());
      json.put("runs", data.runs().size());
      json.put("planHash", data.planHash());
      json.put("csv", written.csv().toString());
      json.put("numbers", written.numbers().toString());
      console.json(json);
    } else {
      console.line(written.html().toString());
      console.note(
          "Report of "
              + data.runs().size()
              + " runs ("
              + data.attempts().size()
              + " attempts) with "
              + written.charts().size()
              + " charts; open it in a browser: "
              + written.html().toUri()
              + "; valid runs as a table: "
              + written.csv()
              + (csvCopy == null ? "" : " (also " + csvCopy + ")"));
    }
    return ExitCodes.OK;
  }
}
