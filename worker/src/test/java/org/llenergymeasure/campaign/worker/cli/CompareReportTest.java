package org.llenergymeasure.campaign.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.ledger.RunLedger;
import org.llenergymeasure.campaign.activities.measurement.AttemptMetrics;
import org.llenergymeasure.campaign.worker.campaign.CampaignRecord;

/**
 * {@code report --compare A B}: two results folders written with the ledger's own code, matched by
 * experiment name; the expected means, intervals and verdicts computed here from the values.
 */
class CompareReportTest {

  /** t(0.975, 2), the Student-t quantile for 3 values (any t table). */
  private static final double T2 = 4.302652729911275;

  @TempDir Path results;

  // fast: J/token clearly higher in B (worse), tokens/s overlapping (same).
  private static final double[] FAST_JPT_A = {0.100, 0.110, 0.120};
  private static final double[] FAST_JPT_B = {0.200, 0.210, 0.220};
  private static final double[] FAST_TPS_A = {100, 102, 104};
  private static final double[] FAST_TPS_B = {101, 103, 105};
  // tuned: its definition changed in B; J/token far higher, yet no regression.
  private static final double[] TUNED_JPT_A = {0.30, 0.31, 0.32};
  private static final double[] TUNED_JPT_B = {0.90, 0.91, 0.92};

  @Test
  void matchesByNameComparesIntervalsAndGatesOnTheChosenMetric() throws Exception {
    Path a = results.resolve("base");
    write(a, "cmp-a", Map.of("fast", "h-fast", "tuned", "h-tuned", "single", "h-s", "gone", "h-g"));
    ledger(a, "cmp-a", "fast", FAST_JPT_A, FAST_TPS_A);
    ledger(a, "cmp-a", "tuned", TUNED_JPT_A, FAST_TPS_A);
    ledger(a, "cmp-a", "single", FAST_JPT_A, FAST_TPS_A);
    ledger(a, "cmp-a", "gone", FAST_JPT_A, FAST_TPS_A);
    write(results, "cmp-b", Map.of("fast", "h-fast", "tuned", "h-tuned-2", "single", "h-s"));
    ledger(results, "cmp-b", "fast", FAST_JPT_B, FAST_TPS_B);
    ledger(results, "cmp-b", "tuned", TUNED_JPT_B, FAST_TPS_B);
    ledger(results, "cmp-b", "single", new double[] {5.0}, new double[] {1});

    CliRun run =
        CliRun.of(
            "report",
            "--compare",
            a.resolve("cmp-a").toString(),
            "cmp-b",
            "--results",
            results.toString(),
            "--fail-on",
            "energyPerTokenJ",
            "--json");
    assertEquals(1, run.exit(), "fast's J/token got worse beyond the intervals: " + run.err());
    JsonNode json = run.json();
    JsonNode fast = experiment(json, "fast");
    assertEquals("both", fast.get("in").asText());
    assertEquals("same", fast.get("definition").asText());

    JsonNode jpt = fast.at("/metrics/energyPerTokenJ");
    assertEquals(mean(FAST_JPT_A), jpt.at("/a/mean").asDouble(), 1e-12);
    assertEquals(halfWidth(FAST_JPT_A), jpt.at("/a/halfWidth").asDouble(), 1e-9);
    assertEquals(3, jpt.at("/b/n").asInt());
    assertEquals(
        100 * (mean(FAST_JPT_B) - mean(FAST_JPT_A)) / mean(FAST_JPT_A),
        jpt.get("changePercent").asDouble(),
        1e-9);
    assertFalse(overlap(FAST_JPT_A, FAST_JPT_B), "the data are built to separate");
    assertFalse(jpt.get("overlap").asBoolean());
    assertEquals("worse", jpt.get("verdict").asText(), "J/token: higher is worse");

    JsonNode tps = fast.at("/metrics/tokensPerSecond");
    assertTrue(overlap(FAST_TPS_A, FAST_TPS_B), "the data are built to overlap");
    assertTrue(tps.get("overlap").asBoolean());
    assertEquals("same", tps.get("verdict").asText());

    JsonNode tuned = experiment(json, "tuned");
    assertEquals("changed", tuned.get("definition").asText());
    assertEquals("worse", tuned.at("/metrics/energyPerTokenJ/verdict").asText());
    JsonNode single = experiment(json, "single");
    assertEquals("unknown", single.at("/metrics/energyPerTokenJ/verdict").asText());
    assertTrue(single.at("/metrics/energyPerTokenJ/note").asText().contains("n < 2 in B"));
    assertEquals("a", experiment(json, "gone").get("in").asText());

    // Only fast trips the gate: tuned changed, single has no interval in B.
    JsonNode regressions = json.get("regressions");
    assertEquals(1, regressions.size(), regressions.toString());
    assertEquals("fast", regressions.get(0).get("experiment").asText());
    assertEquals(1, json.get("exitCode").asInt());

    // Throughput did not get worse: the same comparison gated on it passes; the table says why.
    CliRun byThroughput =
        CliRun.of(
            "report",
            "--compare",
            a.resolve("cmp-a").toString(),
            "cmp-b",
            "--results",
            results.toString(),
            "--fail-on",
            "tokensPerSecond");
    assertEquals(0, byThroughput.exit(), byThroughput.err());
    assertTrue(byThroughput.out().contains("tuned (CHANGED h-tuned -> h-tuned-2)"));
    assertTrue(byThroughput.out().contains("only in A: gone"), byThroughput.out());
    assertTrue(byThroughput.out().contains("no regression in tokensPerSecond"));
  }

  @Test
  void anUnknownCampaignExitsTwoNamingIt() {
    CliRun run =
        CliRun.of("report", "--compare", "nope-a", "nope-b", "--results", results.toString());
    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().contains("no results for 'nope-a'"), run.err());
    CliRun metric =
        CliRun.of("report", "--compare", "x", "y", "--fail-on", "joules", "--results", "r");
    assertEquals(2, metric.exit());
    assertTrue(metric.err().contains("--fail-on joules: unknown metric"), metric.err());
  }

  private static JsonNode experiment(JsonNode json, String name) {
    for (JsonNode e : json.get("experiments")) {
      if (e.get("experiment").asText().equals(name)) {
        return e;
      }
    }
    throw new AssertionError("no experiment " + name + " in " + json);
  }

  private static void write(Path root, String campaign, Map<String, String> hashes) {
    new CampaignRecord(campaign, "plan-" + campaign, null, "2026-01-01T00:00:00Z", hashes)
        .writeIfAbsent(root);
  }

  /** One completed attempt per value, through the ledger's own append. */
  private static void ledger(
      Path root, String campaign, String experiment, double[] jPerToken, double[] tokensPerS) {
    RunLedger ledger = RunLedger.of(root, campaign);
    for (int c = 1; c <= jPerToken.length; c++) {
      ledger.append(
          new LedgerEntry(
              experiment + ".c" + c,
              experiment,
              c,
              1,
              "completed",
              "h1",
              null,
              List.of(),
              null,
              null,
              null,
              "2026-01-01T00:00:00Z",
              "2026-01-01T00:00:10Z",
              null,
              null,
              null,
              new AttemptMetrics(
                  jPerToken[c - 1] * 1000,
                  null,
                  jPerToken[c - 1],
                  null,
                  tokensPerS[c - 1],
                  "result")));
    }
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  private static double halfWidth(double[] v) {
    double m = mean(v);
    double ss = 0;
    for (double x : v) {
      ss += (x - m) * (x - m);
    }
    return T2 * Math.sqrt(ss / (v.length - 1)) / Math.sqrt(v.length);
  }

  private static boolean overlap(double[] a, double[] b) {
    return mean(a) - halfWidth(a) <= mean(b) + halfWidth(b)
        && mean(b) - halfWidth(b) <= mean(a) + halfWidth(a);
  }
}
