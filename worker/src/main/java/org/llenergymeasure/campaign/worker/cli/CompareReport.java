package org.llenergymeasure.campaign.worker.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.activities.ledger.RunLedger;
import org.llenergymeasure.campaign.worker.BadInput;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.worker.report.CampaignComparison;
import org.llenergymeasure.campaign.worker.report.ComparisonText;
import org.llenergymeasure.campaign.worker.report.ReportData;
import org.llenergymeasure.campaign.worker.report.ReportMetric;

/**
 * {@code report --compare A B [--fail-on METRIC]}: prints the comparison, answers the exit code.
 */
final class CompareReport {

  private final CommonOptions common;
  private final String a;
  private final String b;
  private final List<ReportMetric> failOn;

  CompareReport(CommonOptions common, String a, String b, List<String> failOn) {
    this.common = common;
    this.a = a;
    this.b = b;
    this.failOn = metrics(failOn);
  }

  int print() {
    Path folderA = folder(a);
    Path folderB = folder(b);
    ReportData dataA = load(folderA);
    ReportData dataB = load(folderB);
    CampaignComparison comparison =
        CampaignComparison.of(
            CampaignComparison.Side.load(folderA, dataA),
            dataA,
            CampaignComparison.Side.load(folderB, dataB),
            dataB);
    int exit = comparison.regressions(failOn).isEmpty() ? ExitCodes.OK : ExitCodes.RUNS_FAILED;
    Console console = Console.system();
    if (common.json()) {
      Map<String, Object> json = comparison.toJson(failOn);
      json.put("exitCode", exit);
      console.json(json);
    } else {
      ComparisonText.render(comparison, failOn).forEach(console::line);
    }
    return exit;
  }

  private static ReportData load(Path folder) {
    return ReportData.load(folder.getParent(), folder.getFileName().toString());
  }

  /**
   * A campaign name under {@code --results}, else (or when it holds a path separator) a campaign's
   * results folder; either must hold a ledger.
   */
  private Path folder(String arg) {
    boolean isName = !arg.contains("/") && !arg.contains(java.io.File.separator);
    if (isName) {
      Path under = common.resultsDir().resolve(arg);
      if (Files.isRegularFile(under.resolve(RunLedger.FILE))) {
        return under;
      }
    }
    Path asFolder = Path.of(arg).toAbsolutePath().normalize();
    if (asFolder.getParent() != null && Files.isRegularFile(asFolder.resolve(RunLedger.FILE))) {
      return asFolder;
    }
    throw new BadInput(
        "no results for '"
            + arg
            + "': "
            + (isName ? "no campaign of that name under " + common.resultsDir() + ", and " : "")
            + "no folder "
            + asFolder
            + " with a "
            + RunLedger.FILE);
  }

  private static List<ReportMetric> metrics(List<String> keys) {
    List<ReportMetric> out = new ArrayList<>();
    if (keys == null) {
      return out;
    }
    for (String k : keys) {
      ReportMetric m = ReportMetric.byKey(k.strip());
      if (m == null) {
        throw new BadInput(
            "--fail-on "
                + k
                + ": unknown metric; one of "
                + String.join(
                    ", ",
                    java.util.Arrays.stream(ReportMetric.values())
                        .map(ReportMetric::key)
                        .toList()));
      }
      out.add(m);
    }
    return out;
  }
}
