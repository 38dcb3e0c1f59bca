package org.llenergymeasure.campaign.worker.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a campaign's report: {@code report.html} (self-contained), its charts as PNGs, the tidy
 * table of valid runs {@code runs.csv} and the numbers it shows as {@code numbers.json}.
 */
public final class CampaignReport {

  public static final String HTML = "report.html";
  public static final String NUMBERS = "numbers.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** What was written. */
  public record Written(Path html, List<Path> charts, Path csv, Path numbers) {}

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
      Path csv = outDir.resolve(TidyCsv.FILE);
      Files.writeString(csv, TidyCsv.render(data), StandardCharsets.UTF_8);
      Path numbers = outDir.resolve(NUMBERS);
      JSON.writeValue(numbers.toFile(), data.numbers().toJson(data.campaign()));
      return new Written(html, pngs, csv, numbers);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the report to " + outDir + ": " + e.getMessage(), e);
    }
  }
}
