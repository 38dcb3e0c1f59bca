package org.llenergymeasure.campaign.worker.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportDataTest {

  @TempDir Path results;

  @Test
  void spreadsOverCyclesPerExperimentFromTheLedger() throws Exception {
    HandMadeCampaign.write(results, true);
    ReportData data = ReportData.load(results, HandMadeCampaign.NAME);

    assertEquals(
        List.of("big", "small", "busy", "pair"),
        data.experiments().stream().map(ExperimentSummary::experiment).toList());
    ExperimentSummary big = data.experiments().get(0);
    assertEquals(3, big.completed());
    // 100, 110, 126 J: mean 112; deviations -12, -2, 14; squares 144 + 4 + 196 = 344; /2 = 172.
    assertEquals(112.0, big.energyJ().mean(), 1e-9);
    assertEquals(Math.sqrt(172), big.energyJ().sd(), 1e-9);
    assertEquals(100.0, big.energyJ().min());
    assertEquals(126.0, big.energyJ().max());
    assertEquals(0.112, big.energyPerTokenJ().mean(), 1e-12);
    assertEquals(Math.sqrt(172) / 1000, big.energyPerTokenJ().sd(), 1e-12);
    // 20, 25, 30 tokens/s: mean 25, sd sqrt((25 + 0 + 25) / 2) = 5.
    assertEquals(25.0, big.tokensPerSecond().mean(), 1e-9);
    assertEquals(5.0, big.tokensPerSecond().sd(), 1e-9);
    // 10, 20, 30 s from the ledger's timestamps: mean 20, sd 10.
    assertEquals(20.0, big.durationS().mean(), 1e-9);
    assertEquals(10.0, big.durationS().sd(), 1e-9);

    ExperimentSummary small = data.experiments().get(1);
    assertEquals(1, small.completed(), "c1's second attempt completed");
    assertEquals(1, small.failed(), "c2's last attempt failed");
    assertNull(small.energyJ(), "the completed run reported no energy");
    assertEquals(1, small.completedWithoutEnergy());
    assertEquals(
        10.0, small.durationS().mean(), 1e-9, "only the completed run's last attempt counts");

    ExperimentSummary pair = data.experiments().get(3);
    assertEquals(0.0, pair.energyJ().mean(), "simulated runs report 0: shown as given");
    assertTrue(pair.simulated());
  }

  @Test
  void lastAttemptPerRunFailuresByTypeAndVerification() throws Exception {
    HandMadeCampaign.write(results, true);
    ReportData data = ReportData.load(results, HandMadeCampaign.NAME);

    assertEquals(9, data.attempts().size(), "3 + 4 + 1 + 1 attempts");
    assertEquals(
        List.of("big.c1", "big.c2", "big.c3", "small.c1", "small.c2", "busy.c1", "pair.c1"),
        data.runs().stream().map(r -> r.entry().runId()).toList());
    assertEquals(2, data.runs().get(3).entry().attempt());

    Map<String, FailureCount> failures =
        data.failures().stream().collect(Collectors.toMap(FailureCount::type, Function.identity()));
    assertEquals(3, failures.size());
    assertEquals(2, failures.get("ExitNonZero").attempts());
    assertEquals(List.of("small.c2"), failures.get("ExitNonZero").runIds());
    assertEquals(1, failures.get("OomKilled").attempts());
    assertEquals(
        0, failures.get("OomKilled").runs(), "small.c2 ended with ExitNonZero, not OomKilled");
    assertEquals(List.of("busy.c1"), failures.get("GpuBusy").runIds());

    Map<String, AttemptRecord.Verification> checks =
        data.runs().stream()
            .collect(Collectors.toMap(r -> r.entry().runId(), AttemptRecord::verification));
    assertEquals(AttemptRecord.Verification.VERIFIED, checks.get("big.c1"));
    assertEquals(AttemptRecord.Verification.NOT_ROUTED, checks.get("busy.c1"));
    assertEquals(AttemptRecord.Verification.MISMATCH, checks.get("pair.c1"));

    AttemptRecord pair = data.runs().get(6);
    assertEquals(
        List.of(2, 3),
        pair.routedDevices().stream().map(AttemptRecord.Device::index).toList(),
        "from routing.json");
    assertEquals("NVIDIA H100", pair.routedDevices().get(0).name());
    assertEquals(HandMadeCampaign.HASH, data.planHash());
    assertEquals(List.of("h1"), data.hosts());
  }

  @Test
  void withoutCampaignJsonTheHashIsUnknown() throws Exception {
    HandMadeCampaign.write(results, false);
    assertEquals("unknown", ReportData.load(results, HandMadeCampaign.NAME).planHash());
  }
}
