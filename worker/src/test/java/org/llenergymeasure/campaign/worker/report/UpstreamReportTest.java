package org.llenergymeasure.campaign.worker.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.llenergymeasure.campaign.worker.report.UpstreamLedger.V07;
import static org.llenergymeasure.campaign.worker.report.UpstreamLedger.V3;
import static org.llenergymeasure.campaign.worker.report.UpstreamLedger.read;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.worker.cli.Main;

/**
 * {@code report} of runs whose result is llenergymeasure's own: its per-experiment table shows each
 * figure from the file (read here with Jackson), a chart of its J/token and one of the host's
 * energy per its token; other results and missing fields show none of it and break nothing.
 */
class UpstreamReportTest {

  private static final String CAMPAIGN = "llem-report-shapes";

  @TempDir Path results;

  @BeforeAll
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  private String report(Path out) throws Exception {
    assertEquals(
        0,
        Main.execute("report", CAMPAIGN, "--results", results.toString(), "--out", out.toString()));
    return Files.readString(out.resolve(CampaignReport.HTML));
  }

  private static String table(String html) {
    int table = html.indexOf("<table id=\"llenergymeasure-table\">");
    assertTrue(table >= 0, "the llenergymeasure table is there");
    return html.substring(table, html.indexOf("</table>", table));
  }

  /** The row of an experiment in the llenergymeasure table. */
  private static String row(String html, String experiment) {
    String rows = table(html);
    int at = rows.indexOf("<tr><td>" + experiment + "</td>");
    assertTrue(at >= 0, experiment + " has a row: " + rows);
    return rows.substring(at, rows.indexOf("</tr>", at));
  }

  /** A mean over one run: the value ± 0. */
  private static String one(double v) {
    return "<td class=\"num\">" + ChartCanvas.number(v) + " ± " + ChartCanvas.number(0) + "<br>";
  }

  @Test
  void theExperimentTableAndChartsShowEachFileFigure() throws Exception {
    UpstreamLedger.write(results, CAMPAIGN, true);
    Path out = results.resolve("report-out");
    String html = report(out);

    JsonNode v3 = read(V3);
    String r3 = row(html, "v3");
    assertTrue(r3.contains("<td>schema " + v3.get("schema_version").asText() + "</td>"), r3);
    for (String f :
        List.of(
            "total_energy_j",
            "total_tokens",
            "avg_energy_per_token_j",
            "avg_tokens_per_second",
            "total_inference_time_sec",
            "energy_adjusted_j",
            "baseline_power_w")) {
      assertTrue(r3.contains(one(v3.get(f).asDouble())), f + ": " + r3);
    }
    assertTrue(r3.contains(one(UpstreamLedger.HOST_J)), "the host's energy beside it: " + r3);
    assertTrue(
        r3.contains(one(UpstreamLedger.HOST_J / v3.get("total_tokens").asDouble())),
        "the host's energy per llenergymeasure token: " + r3);
    assertTrue(r3.contains("<td>0 of 1 runs</td>"), r3);
    assertTrue(r3.contains(HtmlReport.esc(v3.get("measurement_warnings").get(0).asText())), r3);

    JsonNode v07 = read(V07);
    String r07 = row(html, "v07");
    assertTrue(
        r07.contains(
            "<td>bundle "
                + v07.get("bundle_version").asText()
                + " (llenergymeasure "
                + v07.get("llenergymeasure_version").asText()
                + ")</td>"),
        r07);
    assertTrue(
        r07.contains(one(v07.get("input_tokens").asDouble() + v07.get("output_tokens").asDouble())),
        "null total_tokens: input + output: " + r07);
    assertTrue(r07.contains(one(v07.get("energy_breakdown").get("baseline_power_w").asDouble())));
    assertTrue(r07.contains(one(v07.get("avg_energy_per_token_j").asDouble())), r07);
    assertTrue(r07.contains("<td>1 of 1 runs</td>"), "throttle.detected: " + r07);
    String breakdown = row(html, "v07breakdown");
    assertTrue(
        breakdown.contains(one(v07.get("energy_breakdown").get("adjusted_j").asDouble())),
        breakdown);

    String broken = row(html, "broken");
    assertEquals(7, count(broken, "<td class=\"muted\">absent</td>"), broken);
    assertEquals(2, count(broken, "<td class=\"muted\">no host measurement</td>"), broken);
    assertTrue(broken.contains("<td>absent</td>"), "throttling absent: " + broken);
    assertFalse(table(html).contains("<tr><td>other</td>"), "not llenergymeasure's result");
    assertFalse(table(html).contains("other workload warning"));

    assertTrue(Files.isRegularFile(out.resolve("llem-energy-per-token.png")));
    assertTrue(Files.isRegularFile(out.resolve("host-energy-per-llem-token.png")));
    assertTrue(
        html.contains("alt=\"" + HtmlReport.esc("llenergymeasure's energy per token") + "\""),
        "embedded");
  }

  @Test
  void withoutLlenergymeasureResultsTheReportHasNoneOfIt() throws Exception {
    UpstreamLedger.write(results, CAMPAIGN, false);
    Path out = results.resolve("report-out");
    String html = report(out);
    assertFalse(html.contains("llenergymeasure"), "no llenergymeasure section");
    assertFalse(Files.exists(out.resolve("llem-energy-per-token.png")));
    assertFalse(Files.exists(out.resolve("host-energy-per-llem-token.png")));
    assertTrue(html.contains("<tr><td>other</td>"), "the run is still reported");
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
