package org.llenergymeasure.campaign.worker.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Writes a campaign's report: {@code report.html} (self-contained) and its charts as PNGs. */
public final class CampaignReport {

  public static final String HTML = "report.html";

  /** What was written. */
  public record Written(Path html, List<Path> charts) {}

  private CampaignReport() {}

  public static Written write(ReportData data, Path outDir, Instant generatedAt) {
    List<Chart> charts = ReportCharts.all(data);
    try {
      Files.createDirectories(outDir);
      List<Path> pngs = new ArrayList<>();
      for (Chart c : charts) {
        Path p = outDir.resolve(c.fileName());
        Files.write(p, c.png());
        pngs.add(p);
      }
      Path html = outDir.resolve(HTML);
      Files.writeString(html, HtmlReport.render(data, charts, generatedAt), StandardCharsets.UTF_8);
      return new Written(html, pngs);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the report to " + outDir + ": " + e.getMessage(), e);
    }
  }
}
