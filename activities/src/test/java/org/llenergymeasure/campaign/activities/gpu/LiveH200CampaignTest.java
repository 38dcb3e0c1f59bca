package org.llenergymeasure.campaign.activities.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.ledger.RunLedger;
import org.llenergymeasure.campaign.activities.measurement.HostMeasurement;
import org.llenergymeasure.campaign.activities.measurement.MeasurementValidity;
import org.llenergymeasure.campaign.config.Measurement;

/**
 * The process-mode mini-campaigns that ran on a real H200 (docs/hardware-checks.md, check 3), read
 * back with today's code: the ledger still parses, the host's energy and each run's own agree
 * within 5 %, today's validity rules accept every run under the policy it ran with, and the
 * adaptive cooldown's pauses were shorter than the fixed gaps.
 */
class LiveH200CampaignTest {

  private static final Path DIR = Path.of("../docs/hardware-checks/h200-campaign");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Measurement RAN_WITH = new Measurement(true, 0.05, Measurement.EQUAL, false);

  @Test
  void theFixedGapLedgerReadsBackWithAHostMeasurementPerRunThatTodaysRulesAccept() {
    List<LedgerEntry> ledger = new RunLedger(DIR.resolve("fixed/ledger.jsonl")).read();
    assertEquals(6, ledger.size());
    for (LedgerEntry e : ledger) {
      assertEquals("completed", e.status(), e.runId());
      assertEquals(
          e.routing().uuids(), e.verifiedUuids(), "verified by the PyTorch probe: " + e.runId());
      HostMeasurement m = e.hostMeasurement();
      assertNotNull(m, e.runId());
      assertEquals(HostMeasurement.COUNTER, m.method(), "the H200 has NVML's energy counter");
      assertEquals(0.0, m.thermalThrottleS(), e.runId());
      assertTrue(m.samples() >= 20, "about one reading a second over ~23 s: " + m.samples());
      assertEquals(
          Optional.empty(), MeasurementValidity.problems(m, e.result(), RAN_WITH), e.runId());
    }
  }

  @Test
  void hostAndOwnEnergyAgreeWithinFivePercentInBothCampaigns() throws Exception {
    for (String mode : List.of("fixed", "adaptive")) {
      JsonNode runs = JSON.readTree(DIR.resolve(mode + "/results.json").toFile()).get("runs");
      assertEquals(6, runs.size(), mode);
      for (JsonNode r : runs) {
        double own = r.get("result").get("total_energy_j").asDouble();
        double host = r.get("hostMeasurement").get("energyJ").asDouble();
        // 20 s near the 700 W cap: well above 10 kJ each, or the load did not run.
        assertTrue(own > 10_000 && host > 10_000, mode + " " + r.get("runId"));
        double diff = Math.abs(own - host) / host;
        assertTrue(diff <= 0.05, mode + " " + r.get("runId") + ": " + own + " vs " + host);
      }
    }
  }

  @Test
  void adaptiveCooldownPausedLessThanTheFixedSixtySecondGaps() throws Exception {
    List<Double> fixed = pauses("fixed");
    List<Double> adaptive = pauses("adaptive");
    assertEquals(5, fixed.size());
    assertEquals(5, adaptive.size());
    for (double p : fixed) {
      assertTrue(p >= 60.0, "a fixed gap is at least 60 s: " + p);
    }
    for (double p : adaptive) {
      assertTrue(p < 30.0, "the GPU was back to idle within seconds: " + p);
    }
  }

  /** Seconds between one run's end and the next run's start, in start order. */
  private static List<Double> pauses(String mode) throws Exception {
    JsonNode runs = JSON.readTree(DIR.resolve(mode + "/results.json").toFile()).get("runs");
    List<Instant[]> spans = new ArrayList<>();
    for (JsonNode r : runs) {
      spans.add(
          new Instant[] {
            Instant.parse(r.get("startedAt").asText()), Instant.parse(r.get("finishedAt").asText())
          });
    }
    spans.sort((a, b) -> a[0].compareTo(b[0]));
    List<Double> out = new ArrayList<>();
    for (int i = 1; i < spans.size(); i++) {
      out.add(Duration.between(spans.get(i - 1)[1], spans.get(i)[0]).toMillis() / 1000.0);
    }
    return out;
  }
}
