package org.llenergymeasure.campaign.worker.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mean, 95 % interval, CV and n per experiment and metric; overlapping intervals flagged. */
class ComparableNumbersTest {

  @TempDir Path results;

  @Test
  void theIntervalOfThreeRunsIsTheWorkedExample() throws Exception {
    // big: 100, 110, 126 J. Mean 112; deviations -12, -2, 14; squares 144 + 4 + 196 = 344;
    // sd = sqrt(344 / 2) = sqrt(172) = 13.11488; t(0.975, 2) = 4.30265 (t table);
    // half-width = 4.30265 x 13.11488 / sqrt(3) = 32.5792; CV = 13.11488 / 112 = 11.710 %.
    HandMadeCampaign.write(results, true);
    ComparableNumbers n = ReportData.load(results, HandMadeCampaign.NAME).numbers();
    ComparableNumbers.MetricRow energy = row(n, "big", ReportMetric.ENERGY);
    assertEquals(3, energy.stats().n());
    assertEquals(112, energy.stats().mean(), 1e-9);
    assertEquals(13.11488, energy.stats().standardDeviation(), 1e-5);
    assertEquals(32.5792, energy.interval().halfWidth(), 1e-4);
    assertEquals(79.4208, energy.interval().low(), 1e-4);
    assertEquals(144.5792, energy.interval().high(), 1e-4);
    assertEquals(0.29089, energy.interval().relativeHalfWidth(), 1e-5);
    assertEquals(0.11710, energy.cv(), 1e-5);
    // 1000 tokens each: 0.100, 0.110, 0.126 J/token, the same interval scaled by 1/1000.
    assertEquals(
        0.0325792, row(n, "big", ReportMetric.ENERGY_PER_TOKEN).interval().halfWidth(), 1e-7);
    // Throughput 20, 25, 30: mean 25, sd 5, half-width 4.30265 x 5 / sqrt(3) = 12.4207.
    assertEquals(
        12.4207, row(n, "big", ReportMetric.TOKENS_PER_SECOND).interval().halfWidth(), 1e-4);
    // No idle power in these lines: no adjusted energy, so no row for it.
    assertTrue(n.rowsOf("big").stream().noneMatch(r -> r.metric() == ReportMetric.ENERGY_ADJUSTED));
    // pair's single run (0 J) has a mean and no interval; small's completed run reported nothing.
    assertNull(row(n, "pair", ReportMetric.ENERGY).interval());
    assertEquals(List.of(), n.rowsOf("small"));
  }

  @Test
  void invalidAndFailedRunsStayOutOfTheNumbers() throws Exception {
    ReportData data =
        new NumbersLedger(results, "valid")
            .completed("x", 1, "\"energyJ\": 10")
            .completed("x", 2, "\"energyJ\": 14")
            .line(
                "x",
                3,
                1,
                "failed",
                "\"metrics\": {\"energyJ\": 1000}, \"validity\": {\"valid\": false, \"reasons\":"
                    + " [\"SAMPLE_GAP\"]}, \"error\": {\"type\": \"InvalidMeasurement\","
                    + " \"message\": \"SAMPLE_GAP\"}")
            .line("x", 4, 1, "failed", "\"error\": {\"type\": \"ExitNonZero\", \"message\": \"1\"}")
            .line(
                "x",
                5,
                1,
                "completed",
                "\"metrics\": {\"energyJ\": 500}, \"validity\": {\"valid\": false}")
            .load(null);
    ComparableNumbers.MetricRow x = row(data.numbers(), "x", ReportMetric.ENERGY);
    // 10 and 14: mean 12, sd sqrt(8) = 2.828427, t(0.975, 1) = 12.7062, half 12.7062 x 2 = 25.4124.
    assertEquals(2, x.stats().n());
    assertEquals(12, x.stats().mean(), 1e-9);
    assertEquals(25.4124, x.interval().halfWidth(), 1e-4);
  }

  @Test
  void overlappingIntervalsAreFlaggedAndSeparatedOnesAreNot() throws Exception {
    // Each: mean ± t(0.975, 2) x 2 / sqrt(3) = ± 4.96828. a 97.03-106.97 and b 100.03-109.97
    // overlap; c (~202) and d (~302) are far from everything.
    NumbersLedger l = new NumbersLedger(results, "overlap");
    double[][] values = {{100, 102, 104}, {103, 105, 107}, {200, 202, 204}, {300, 302, 304}};
    String[] names = {"a", "b", "c", "d"};
    for (int e = 0; e < names.length; e++) {
      for (int c = 0; c < 3; c++) {
        l.completed(names[e], c + 1, "\"energyJ\": " + values[e][c]);
      }
    }
    ReportData data = l.load(null);
    ComparableNumbers n = data.numbers();
    assertEquals(1, n.overlaps().size(), n.overlaps().toString());
    ComparableNumbers.Overlap o = n.overlaps().get(0);
    assertEquals(
        List.of(ReportMetric.ENERGY, "a", "b"),
        List.of(o.metric(), o.a().experiment(), o.b().experiment()));
    assertEquals(4.96828, o.a().interval().halfWidth(), 1e-5);

    JsonNode json = new ObjectMapper().valueToTree(n.toJson("overlap"));
    assertEquals(1, json.get("overlaps").size());
    assertEquals(1, json.get("overlapCount").asLong());
    assertEquals("energyJ", json.at("/overlaps/0/metric").asText());
    assertEquals("a", json.at("/overlaps/0/a").asText());
    assertEquals("b", json.at("/overlaps/0/b").asText());
    assertEquals(3, json.at("/experiments/c/energyJ/n").asInt());
    assertEquals(202, json.at("/experiments/c/energyJ/mean").asDouble(), 1e-9);

    String html = HtmlReport.render(data, List.of(), Instant.parse("2026-02-01T00:00:00Z"));
    assertTrue(html.contains("id=\"overlaps-table\""), "the overlaps table");
    assertEquals(2, count(html, "<span class=\"badge\">overlaps</span>"), "a and b, not c or d");
  }

  @Test
  void everyOverlappingPairIsCountedAndTheListStopsAtItsLimit() throws Exception {
    // 80 narrow experiments, 2 runs i and i + 1 (mean i + 0.5, half-width 12.7062 x 0.7071 /
    // 1.4142 = 6.3531): those up to 12 apart overlap; 150 wide ones, 0 and 1000 J (500 ± 6353),
    // overlap everything. Checked against every pair, and by hand: 68 x 12 + (11 + ... + 0) = 882
    // narrow pairs, 150 x 149 / 2 = 11175 wide ones, 80 x 150 = 12000 mixed.
    NumbersLedger l = new NumbersLedger(results, "many");
    for (int e = 0; e < 80; e++) {
      l.completed("n" + e, 1, "\"energyJ\": " + e);
      l.completed("n" + e, 2, "\"energyJ\": " + (e + 1));
    }
    for (int e = 0; e < 150; e++) {
      l.completed("w" + e, 1, "\"energyJ\": 0");
      l.completed("w" + e, 2, "\"energyJ\": 1000");
    }
    ComparableNumbers n = l.load(null).numbers();
    long pairs = 0;
    List<ComparableNumbers.MetricRow> rows = n.rows();
    for (int i = 0; i < rows.size(); i++) {
      for (int j = i + 1; j < rows.size(); j++) {
        if (rows.get(i).interval().overlaps(rows.get(j).interval())) {
          pairs++;
        }
      }
    }
    assertEquals(882 + 11175 + 12000, pairs);
    assertEquals(pairs, n.overlapCount());
    assertEquals(
        Math.min(pairs, ComparableNumbers.MAX_PAIRS), (long) n.overlaps().size(), "listed");
    for (ComparableNumbers.Overlap o : n.overlaps()) {
      assertTrue(o.a().interval().overlaps(o.b().interval()), o.toString());
    }
    assertTrue(rows.stream().allMatch(n::overlapsAny));
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  static ComparableNumbers.MetricRow row(ComparableNumbers n, String experiment, ReportMetric m) {
    ComparableNumbers.MetricRow r =
        n.rowsOf(experiment).stream().filter(x -> x.metric() == m).findFirst().orElse(null);
    assertNotNull(r, experiment + " " + m);
    return r;
  }
}
