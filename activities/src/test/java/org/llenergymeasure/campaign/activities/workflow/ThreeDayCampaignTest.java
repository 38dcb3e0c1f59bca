package org.llenergymeasure.campaign.activities.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.workflow.ScriptedRunBackend.Behaviour;
import org.llenergymeasure.campaign.activities.workflow.ScriptedRunBackend.Event;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.CampaignStatus;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflow;
import org.llenergymeasure.campaign.workflows.campaign.RunningRun;

/**
 * A three-day campaign in seconds: 3 experiments x 3 cycles with 4 h gaps, 1 d cycle gaps and a
 * cooldown after every run; a failure fixed by a retry, two failures in a row that trip the circuit
 * breaker, retryFailed and resume, a running run skipped (its container canceled and its attempt
 * recorded), a pending run skipped. Every run's outcome, every ledger line and every start time is
 * asserted.
 */
class ThreeDayCampaignTest {

  private static final String YAML =
      String.join(
          "\n",
          "campaign: three-days",
          "defaults:",
          "  image: fake:1",
          "  timeout: 1h",
          "experiments:",
          "  - name: a",
          "    gpus: [0]",
          "  - name: b",
          "    gpus: [1, 2]",
          "    retries: 1",
          "  - name: c",
          "    gpus: [3]",
          "execution:",
          "  cycles: 3",
          "  gap: 4h",
          "  cycleGap: 1d",
          "  cooldown: {maxGpuTemperatureC: 45, timeout: 15m}",
          "  maxConsecutiveFailures: 2",
          "");

  private static final String GPU3 = "GPU-3d4e5f60-4444-4182-bdce-333333333333";

  @TempDir Path tmp;
  private CampaignTestEnvironment t;

  @BeforeEach
  void setUp() throws Exception {
    t = new CampaignTestEnvironment(tmp);
  }

  @AfterEach
  void tearDown() {
    t.close();
  }

  @Test
  void threeDaysWithRetriesCircuitBreakerPauseResumeSkipAndCooldowns() throws Exception {
    t.containers
        .on("b.c1", 1, Behaviour.EXIT_NON_ZERO)
        .on("a.c2", 1, Behaviour.EXIT_NON_ZERO)
        .on("b.c2", 1, Behaviour.EXIT_NON_ZERO)
        .on("b.c2", 2, Behaviour.EXIT_NON_ZERO)
        .on("c.c2", 1, Behaviour.HANG);
    LoadedCampaign loaded = CampaignTestEnvironment.campaign(YAML);
    CampaignWorkflow campaign = t.start(loaded, null);
    TimeSkipper clock = new TimeSkipper(campaign);

    // b.c1 fails once (retried), a.c2 fails, b.c2 fails twice: two runs failed in a row.
    CampaignProgress paused =
        Waits.until(
            campaign::progress, p -> p.state() == CampaignStatus.PAUSED, "the circuit breaker");
    assertTrue(
        paused
            .reason()
            .startsWith("circuit breaker: 2 runs failed in a row (last: b.c2, ExitNonZero)"),
        paused.reason());
    assertEquals(
        List.of(3L, 2L, 0L, 4L),
        List.of(paused.completed(), paused.failed(), paused.skipped(), paused.pending()));
    assertEquals(
        List.of("a.c2", "b.c2"),
        paused.recentFailures().stream().map(f -> f.runId()).toList().subList(0, 2));
    assertTrue(paused.running().isEmpty());

    assertEquals("run c.c3 skipped", clock.held(() -> campaign.skip("c.c3")));
    String retried = clock.held(campaign::retryFailed);
    assertTrue(
        retried.startsWith(
            "2 failed run(s) of campaign three-days are pending again; the campaign is paused"),
        retried);
    long[] resumedAt = new long[1];
    String resumed =
        clock.held(
            () -> {
              resumedAt[0] = t.env.currentTimeMillis();
              return campaign.resume();
            });
    assertTrue(resumed.startsWith("campaign three-days resumed (was circuit breaker"), resumed);

    // c.c2 hangs: skip it while it runs.
    t.containers.waitUntilAwaiting("c.c2", 1);
    CampaignProgress hanging =
        Waits.until(
            campaign::progress,
            p -> !p.running().isEmpty() && p.running().get(0).host() != null,
            "c.c2 routed");
    assertEquals(
        List.of(new RunningRun("c.c2", "sim", List.of(GPU3), 1, hanging.running().get(0).since())),
        hanging.running());
    // Time stands still while the run is canceled: nothing in it waits for a timer.
    CampaignProgress afterSkip =
        clock.held(
            () -> {
              assertTrue(campaign.skip("c.c2").startsWith("run c.c2 is being canceled"));
              return Waits.until(campaign::progress, p -> p.skipped() == 2, "c.c2 skipped");
            });
    assertTrue(afterSkip.running().isEmpty());

    CampaignProgress end = clock.result();
    clock.close();
    assertEquals(CampaignStatus.COMPLETED, end.state());
    assertEquals(
        List.of(9L, 7L, 0L, 2L, 0L),
        List.of(end.planned(), end.completed(), end.failed(), end.skipped(), end.pending()));
    assertNull(end.reason());

    List<String> ledger = new ArrayList<>();
    for (LedgerEntry e : t.ledger("three-days")) {
      ledger.add(
          e.runId()
              + "#"
              + e.attempt()
              + " "
              + e.status()
              + (e.error() == null ? "" : " " + e.error().type()));
    }
    assertEquals(
        List.of(
            "a.c1#1 completed",
            "b.c1#1 failed ExitNonZero",
            "b.c1#2 completed",
            "c.c1#1 completed",
            "a.c2#1 failed ExitNonZero",
            "b.c2#1 failed ExitNonZero",
            "b.c2#2 failed ExitNonZero",
            "a.c2#2 completed",
            "b.c2#3 completed",
            "c.c2#1 failed Canceled",
            "a.c3#1 completed",
            "b.c3#1 completed"),
        ledger);

    // Start times (first launch of each attempt) against the schedule: 4 h gaps within a cycle,
    // 1 d between cycles, none before a retry attempt or after a resume beyond the gap.
    List<Event> launches = t.containers.events("launch");
    assertEquals(
        List.of(
            "a.c1#1", "b.c1#1", "b.c1#2", "c.c1#1", "a.c2#1", "b.c2#1", "b.c2#2", "a.c2#2",
            "b.c2#3", "c.c2#1", "a.c3#1", "b.c3#1"),
        launches.stream().map(e -> e.runId() + "#" + e.attempt()).toList());
    // Before the pause, hours after the first start; after it, hours after the resume.
    long t0 = launches.get(0).atMillis();
    long[] expectedHours = {0, 4, 4, 8, 32, 36, 36, 4, 8, 12, 36, 40};
    for (int i = 0; i < launches.size(); i++) {
      long from = i < 7 ? t0 : resumedAt[0];
      long at = launches.get(i).atMillis() - from;
      long want = Duration.ofHours(expectedHours[i]).toMillis();
      assertTrue(
          at >= want && at < want + Duration.ofMinutes(2).toMillis(),
          launches.get(i)
              + " started "
              + Duration.ofMillis(at)
              + " after "
              + (i < 7 ? "the first" : "the resume")
              + ", expected "
              + expectedHours[i]
              + " h");
    }
    // The whole campaign took more than three days of (skipped) time.
    assertTrue(launches.get(launches.size() - 1).atMillis() - t0 > Duration.ofDays(3).toMillis());
    // The skipped run's container was stopped by its canceled await, nothing is left running, no
    // GPU is still leased.
    assertEquals(
        List.of("c.c2"), t.containers.events("canceled").stream().map(Event::runId).toList());
    assertTrue(t.containers.live().isEmpty(), "containers left: " + t.containers.live());
    assertTrue(t.leases.holders().isEmpty(), "leases left: " + t.leases.holders());
    // One cooldown per run that ran to an end (7 completed + 3 failed runs, not the canceled one):
    // each read hot once, then cool.
    assertEquals(2 * 9, t.thermometerReads.get());
  }
}
