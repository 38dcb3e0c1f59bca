package org.llenergymeasure.campaign.worker.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cycles each experiment of an adaptive campaign (min 3, max 10) needed and the GPU time and
 * energy stopping early saved: A reaches its target at cycle 3 on 1 GPU, A2 at cycle 3 on 2 GPUs, B
 * runs to max without, C ended at cycle 2 (below min).
 */
class CycleSavingsTest {

  @TempDir Path results;

  @BeforeAll
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  private static final double[] A_SECONDS = {30, 40, 35};
  private static final double[] A_JOULES = {3000, 4000, 3500};
  private static final double[] A2_SECONDS = {20, 20, 26};
  private static final double[] A2_JOULES = {5000, 5200, 5100};
  private static final double A_FAILED_SECONDS = 10;
  private static final double A_FAILED_JOULES = 900;
  private static final double B_SECONDS = 50;
  private static final double B_JOULES = 6000;
  private static final double C_LINE_SECONDS = 60;

  /** A line's routing (gpus UUIDs), host measurement and metrics. */
  private static String fields(int gpus, double seconds, double joules, Double perToken) {
    StringBuilder uuids = new StringBuilder();
    for (int g = 0; g < gpus; g++) {
      uuids.append(g == 0 ? "" : ", ").append("\"GPU-").append(g).append("\"");
    }
    return String.format(
        Locale.ROOT,
        "\"routing\": {\"uuids\": [%s]}, \"hostMeasurement\": {\"method\": \"counter\","
            + " \"energyJ\": %s, \"durationS\": %s, \"samples\": 3}%s",
        uuids,
        joules,
        seconds,
        perToken == null ? "" : ", \"metrics\": {\"energyPerTokenJ\": " + perToken + "}");
  }

  private Path campaignFile(String cycles) throws Exception {
    Path file = results.resolve("saved.yaml");
    Files.writeString(file, "campaign: saved\nexecution:\n  cycles:" + cycles + "\n");
    return file;
  }

  private ReportData campaign(Path file) throws Exception {
    NumbersLedger l = new NumbersLedger(results, "saved");
    double[] near = {1.0, 1.001, 1.0};
    for (int c = 1; c <= 3; c++) {
      if (c == 2) {
        l.line("A", c, 1, "failed", fields(1, A_FAILED_SECONDS, A_FAILED_JOULES, null));
        l.line("A", c, 2, "completed", fields(1, A_SECONDS[1], A_JOULES[1], near[1]));
      } else {
        l.line("A", c, 1, "completed", fields(1, A_SECONDS[c - 1], A_JOULES[c - 1], near[c - 1]));
      }
      l.line("A2", c, 1, "completed", fields(2, A2_SECONDS[c - 1], A2_JOULES[c - 1], near[c - 1]));
    }
    for (int c = 1; c <= 10; c++) {
      l.line("B", c, 1, "completed", fields(1, B_SECONDS, B_JOULES, c % 2 == 0 ? 1.0 : 2.0));
    }
    // C: cycle 1 failed once without a host measurement or timestamps (unmeasured), cycle 2's
    // line has no host measurement (its start to finish counts: NumbersLedger's 60 s).
    l.raw(
        "{\"runId\": \"C.c1\", \"experiment\": \"C\", \"cycle\": 1, \"attempt\": 1,"
            + " \"status\": \"failed\", \"host\": \"h1\"}");
    l.line("C", 1, 2, "completed", fields(1, B_SECONDS, B_JOULES, 1.0));
    l.line("C", 2, 1, "completed", "\"metrics\": {\"energyPerTokenJ\": 1.0}");
    return l.load(file);
  }

  private static double sum(double... v) {
    return DoubleStream.of(v).sum();
  }

  private static double mean(double... v) {
    return sum(v) / v.length;
  }

  @Test
  void stoppingAtTheTargetSavesTheCyclesNotRunAtTheExperimentsOwnMean() throws Exception {
    ReportData data =
        campaign(
            campaignFile(
                "\n    min: 3\n    max: 10\n    until:\n      metric: energyPerTokenJ\n"
                    + "      relativeHalfWidth: 2%\n"));
    CycleSavings s = data.numbers().convergence().savings();
    assertNotNull(s);
    assertEquals(List.of("A", "A2", "B", "C"), List.copyOf(s.experiments().keySet()));

    CycleSavings.Experiment a = s.experiments().get("A");
    assertEquals(3, a.cyclesRun());
    assertEquals(10, a.max());
    assertEquals(3, a.min());
    assertEquals(CycleSavings.TARGET, a.stoppedBy());
    assertEquals(7, a.figures().savedCycles());
    // Every attempt used the GPU, the failed one too; the saving is at the valid runs' mean.
    double aUsed = sum(A_SECONDS) + A_FAILED_SECONDS;
    double aSaved = 7 * mean(A_SECONDS);
    assertEquals(aUsed, a.figures().gpuSeconds(), 1e-9);
    assertEquals(aSaved, a.figures().savedGpuSeconds(), 1e-9);
    assertEquals(aUsed + aSaved, a.figures().fixedGpuSeconds(), 1e-9);
    assertEquals(aSaved / (aUsed + aSaved), a.figures().savedFraction(), 1e-12);
    double aEnergy = sum(A_JOULES) + A_FAILED_JOULES;
    assertEquals(aEnergy, a.figures().energyJ(), 1e-9);
    assertEquals(7 * mean(A_JOULES), a.figures().savedEnergyJ(), 1e-9);
    assertEquals(0, a.figures().unmeasuredAttempts());

    CycleSavings.Experiment a2 = s.experiments().get("A2");
    assertEquals(CycleSavings.TARGET, a2.stoppedBy());
    double a2Used = 2 * sum(A2_SECONDS);
    double a2Saved = 7 * 2 * mean(A2_SECONDS);
    assertEquals(a2Used, a2.figures().gpuSeconds(), 1e-9, "2 GPUs count twice");
    assertEquals(a2Saved, a2.figures().savedGpuSeconds(), 1e-9);
    assertEquals(7 * mean(A2_JOULES), a2.figures().savedEnergyJ(), 1e-9, "energy is both GPUs'");

    CycleSavings.Experiment b = s.experiments().get("B");
    assertEquals(10, b.cyclesRun());
    assertEquals(CycleSavings.MAX, b.stoppedBy());
    assertEquals(0, b.figures().savedCycles());
    assertEquals(10 * B_SECONDS, b.figures().gpuSeconds(), 1e-9);
    assertEquals(0.0, b.figures().savedGpuSeconds(), 0);

    CycleSavings.Experiment c = s.experiments().get("C");
    assertEquals(2, c.cyclesRun());
    assertEquals(CycleSavings.ENDED, c.stoppedBy(), "below min: neither target nor max");
    assertEquals(0, c.figures().savedCycles());
    assertNull(c.figures().savedGpuSeconds(), "an ended experiment's saving is unknown, not 0");
    assertNull(c.figures().fixedGpuSeconds());
    assertNull(c.figures().savedEnergyJ());
    assertEquals(B_SECONDS + C_LINE_SECONDS, c.figures().gpuSeconds(), 1e-9);
    assertEquals(1, c.figures().unmeasuredAttempts());
    assertEquals(B_JOULES, c.figures().energyJ(), 1e-9, "only cycle 1's host energy");

    CycleSavings.Figures t = s.total();
    double used = aUsed + a2Used + 10 * B_SECONDS + B_SECONDS + C_LINE_SECONDS;
    double saved = aSaved + a2Saved;
    assertEquals(14, t.savedCycles());
    assertEquals(used, t.gpuSeconds(), 1e-9);
    assertNull(t.savedGpuSeconds(), "C ended: no total saving is claimed");
    assertNull(t.fixedGpuSeconds());
    assertNull(t.savedFraction());
    ReportData withoutC =
        ReportData.of(
            data.campaign(),
            data.record(),
            data.attempts().stream().filter(r -> !r.entry().experiment().equals("C")).toList(),
            data.settings());
    CycleSavings.Figures stopped = ConvergenceTrace.of(withoutC).savings().total();
    assertEquals(saved, stopped.savedGpuSeconds(), 1e-9, "without C every saving is known");
    assertEquals(used - B_SECONDS - C_LINE_SECONDS + saved, stopped.fixedGpuSeconds(), 1e-9);
    assertEquals(
        saved / (used - B_SECONDS - C_LINE_SECONDS + saved), stopped.savedFraction(), 1e-12);
    assertEquals(
        aEnergy + sum(A2_JOULES) + 11 * B_JOULES, t.energyJ(), 1e-9, "all attempts' energy");
    assertEquals(1, t.unmeasuredAttempts());

    @SuppressWarnings("unchecked")
    Map<String, Object> json =
        (Map<String, Object>)
            ((Map<String, Object>) data.numbers().toJson("saved").get("convergence"))
                .get("savings");
    @SuppressWarnings("unchecked")
    Map<String, Object> aJson =
        (Map<String, Object>) ((Map<String, Object>) json.get("experiments")).get("A");
    assertEquals("target", aJson.get("stoppedBy"));
    assertEquals(aSaved, (Double) aJson.get("savedGpuSeconds"), 1e-9);
    assertTrue(json.containsKey("total"));

    String html = HtmlReport.render(data, List.of(), Instant.parse("2026-02-01T00:00:00Z"));
    int table = html.indexOf("id=\"cycles-saved-table\"");
    assertTrue(table > html.indexOf("id=\"convergence-table\""), "after the convergence table");
    String rows = html.substring(table, html.indexOf("</table>", table));
    assertTrue(
        rows.contains(
            "<tr><td>A</td><td class=\"num\">3 / 10</td><td>target</td>"
                + "<td class=\"num\">"
                + CyclesSavedSection.time(aUsed)
                + "</td>"),
        rows);
    assertTrue(rows.contains("<tr><th>total</th>"), rows);
    assertTrue(html.contains("1 attempt(s) had neither a host measurement"), "unmeasured noted");
  }

  @Test
  void aFixedNumberOfCyclesHasNoSavings() throws Exception {
    ReportData data = campaign(campaignFile(" 3"));
    assertNotNull(data.numbers().convergence(), "several cycles still have a trace");
    assertNull(data.numbers().convergence().savings());
    @SuppressWarnings("unchecked")
    Map<String, Object> convergence =
        (Map<String, Object>) data.numbers().toJson("saved").get("convergence");
    assertFalse(convergence.containsKey("savings"));
    String html = HtmlReport.render(data, List.of(), Instant.parse("2026-02-01T00:00:00Z"));
    assertFalse(html.contains("cycles-saved-table"));
  }
}
