package org.llenergymeasure.campaign.worker.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The written report: one self-contained HTML file whose embedded charts are the PNGs beside it.
 */
class CampaignReportTest {

  @TempDir Path results;

  @BeforeAll
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  @Test
  void oneSelfContainedFileWithEveryChartEmbeddedAndWrittenBesideIt() throws Exception {
    HandMadeCampaign.write(results, true);
    Path out = results.resolve("out");
    CampaignReport.Written written =
        CampaignReport.write(
            ReportData.load(results, HandMadeCampaign.NAME),
            out,
            Instant.parse("2026-02-01T00:00:00Z"));

    String html = Files.readString(written.html());
    assertFalse(
        Pattern.compile("(src|href)=\"(?!data:)", Pattern.CASE_INSENSITIVE).matcher(html).find(),
        "no link outside the file");
    assertFalse(html.contains("<script"), "no script (an escaped message must not become one)");
    assertFalse(html.contains("<link"), "CSS is inline");

    List<String> files = written.charts().stream().map(p -> p.getFileName().toString()).toList();
    // big ran 3 cycles (its convergence), has energy, tokens, throughput and duration; small and
    // busy failed; pair/big ran on GPUs.
    assertEquals(
        List.of(
            "convergence.png",
            "energy.png",
            "energy-per-token.png",
            "throughput.png",
            "duration.png",
            "timeline.png",
            "failures.png"),
        files);
    List<byte[]> embedded = new ArrayList<>();
    Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
    while (m.find()) {
      embedded.add(Base64.getDecoder().decode(m.group(1)));
    }
    assertEquals(files.size(), embedded.size());
    for (int i = 0; i < files.size(); i++) {
      byte[] png = Files.readAllBytes(out.resolve(files.get(i)));
      assertArrayEquals(png, embedded.get(i), files.get(i) + " is the embedded image");
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
      assertNotNull(img, files.get(i) + " decodes as PNG");
      assertTrue(img.getWidth() >= 400 && img.getHeight() >= 100, files.get(i));
    }
  }

  @Test
  void showsHashSpreadsMissingEnergyFailuresAndVerification() throws Exception {
    HandMadeCampaign.write(results, true);
    Path html =
        CampaignReport.write(
                ReportData.load(results, HandMadeCampaign.NAME),
                results.resolve("out"),
                Instant.now())
            .html();
    String text = Files.readString(html);

    assertTrue(text.contains("<code id=\"plan-hash\">" + HandMadeCampaign.HASH + "</code>"));
    assertTrue(text.contains("/campaigns/hand.yaml"));
    // big: 112 ± sqrt(172) = 13.114877... printed with 3 significant decimals above 10: 13.1.
    assertTrue(text.contains("112.0 ± 13.1"), "energy mean ± sd of big");
    assertTrue(text.contains("100.0–126.0, n=3"), "min–max and count of big");
    // big's 95 % interval: 112 ± 4.30265 x 13.11488 / sqrt(3) = 112 ± 32.579 (29.09 %), CV 11.71 %.
    assertTrue(text.contains("79.42 – 144.6"), "the interval of big, 4 significant digits");
    assertTrue(text.contains("± 32.58 (29.09 %)</td><td class=\"num\">11.71 %"), "± and CV");
    assertTrue(text.contains("no energy reported"), "small completed without energy");
    assertTrue(text.contains("badge\">simulated"), "pair is flagged simulated");
    assertTrue(text.contains("Simulated</b>"), "the banner says something was simulated");
    assertTrue(text.contains("thermal &lt;b&gt;note&lt;/b&gt;"), "warnings escaped");
    assertTrue(text.contains("exit 1 &lt;script&gt;"), "messages escaped");
    for (String type : List.of("ExitNonZero", "OomKilled", "GpuBusy")) {
      assertTrue(text.contains(">" + type + "</td>"), type + " in the failures table");
    }
    assertTrue(
        text.contains("class=\"bad\">mismatch</td>"), "pair.c1 saw only one of its two GPUs");
    assertTrue(text.contains("not routed"), "busy.c1 got no GPU");
    assertTrue(text.contains(HandMadeCampaign.GPU3));
    assertTrue(
        text.contains(
            "CUDA_VISIBLE_DEVICES=" + HandMadeCampaign.GPU2 + "," + HandMadeCampaign.GPU3));
  }

  @Test
  void unknownHashAndNoChartsForACampaignWithoutData() throws Exception {
    HandMadeCampaign.write(results, false);
    String text =
        Files.readString(
            CampaignReport.write(
                    ReportData.load(results, HandMadeCampaign.NAME),
                    results.resolve("o"),
                    Instant.now())
                .html());
    assertTrue(text.contains("<code id=\"plan-hash\">unknown</code>"));

    ReportData empty = ReportData.of("none", null, List.of());
    CampaignReport.Written w = CampaignReport.write(empty, results.resolve("empty"), Instant.now());
    assertEquals(List.of(), w.charts());
    assertTrue(Files.readString(w.html()).contains("No attempt failed."));
  }
}
