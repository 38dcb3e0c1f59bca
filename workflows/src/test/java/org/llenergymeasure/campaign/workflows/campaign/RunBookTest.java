package org.llenergymeasure.campaign.workflows.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.config.PlannedRun;
import org.llenergymeasure.campaign.workflows.host.IdleGpu;
import org.llenergymeasure.campaign.workflows.host.QuarantinedGpu;
import org.llenergymeasure.campaign.workflows.host.RunFailure;
import org.llenergymeasure.campaign.workflows.run.RunOutcome;

class RunBookTest {

  private static PlannedRun run(int index) {
    return new PlannedRun("e" + index + ".c1", "e" + index, 1, index);
  }

  private static RunOutcome outcome(
      int index, RunOutcome.Status status, int attempt, long millis, String failureType) {
    return new RunOutcome(
        run(index).runId(),
        status,
        attempt,
        "h1",
        failureType == null ? null : new RunFailure(failureType, "it broke"),
        List.of(),
        List.of(),
        Map.of(),
        1_000,
        1_000 + millis,
        List.of());
  }

  private static QuarantinedGpu quarantined(String host, String uuid, String reason) {
    return new QuarantinedGpu(
        host, uuid, List.of(), null, "c/a.c1/a1", "2026-01-01T00:00Z", reason);
  }

  @Test
  void aNewCampaignHasEveryRunPendingAndNoneStarted() {
    RunBook book = RunBook.start(3, 2);
    assertEquals(3, book.planned());
    assertEquals(3, book.count(RunStatus.PENDING));
    assertEquals(0, book.firstPending());
    assertEquals(-1, book.lastStartedIndex());
    assertEquals(2, book.concurrency());
    assertFalse(book.paused());
    assertNull(book.etaSeconds(), "no run has finished");
    assertNull(book.ending());
    assertEquals(1, book.nextAttempt("e0.c1"));
  }

  @Test
  void aRunRunningInTheSavedStateIsPendingAgainAndConcurrencyIsAtLeastOne() {
    RunBook book =
        RunBook.from(
            new CampaignState("CRP", Map.of(), List.of(), 0, 0, 0, null, 0, 1, 0, null, null));
    assertEquals(RunStatus.PENDING, book.status(1));
    assertEquals(
        List.of(1L, 2L, 0L),
        List.of(
            book.count(RunStatus.COMPLETED),
            book.count(RunStatus.PENDING),
            book.count(RunStatus.RUNNING)));
    assertEquals(1, book.firstPending());
    assertEquals(1, book.concurrency());
  }

  /** The book is the one owner of the state: all of it comes back, the continuation counted. */
  @Test
  void theContinueAsNewStateCarriesEverythingAndCountsTheContinuation() {
    Map<String, Map<String, IdleGpu>> idle = new TreeMap<>();
    idle.put("h1", Map.of("GPU-1", new IdleGpu(31, 55.5, 5, 0)));
    List<QuarantinedGpu> gpus =
        List.of(quarantined("h1", "GPU-1", "memory not back"), quarantined("h2", "GPU-1", "pid 7"));
    List<RecentFailure> failures = List.of(new RecentFailure("e1.c1", "ExitNonZero", "exited 3"));
    CampaignState saved =
        new CampaignState(
            "CFPSX",
            Map.of("e0.c1", 1, "e1.c1", 3),
            failures,
            2,
            2245,
            4,
            "paused by a user",
            1,
            1,
            2,
            idle,
            gpus);
    CampaignState next = RunBook.from(saved).continueAsNewState();
    assertEquals(
        new CampaignState(
            "CFPSX",
            Map.of("e0.c1", 1, "e1.c1", 3),
            failures,
            2,
            2245,
            4,
            "paused by a user",
            1,
            1,
            3,
            idle,
            gpus),
        next);
  }

  @Test
  void theIdleBaselinesMeasuredAtStartAndTheQuarantinedGpusTravelOn() {
    RunBook book = RunBook.start(1, 1);
    Map<String, Map<String, IdleGpu>> measured = new TreeMap<>();
    measured.put("h2", Map.of("GPU-2", new IdleGpu(30, null, 5, 0)));
    measured.put("h1", Map.of("GPU-1", new IdleGpu(31, 50.0, 5, 1)));
    book.idleBaselines(measured);
    book.quarantined(quarantined("h1", "GPU-1", "first"));
    book.quarantined(quarantined("h2", "GPU-9", "second"));
    book.quarantined(quarantined("h1", "GPU-1", "found again"));
    CampaignState state = book.continueAsNewState();
    assertEquals(List.of("h1", "h2"), List.copyOf(state.idleBaselines().keySet()));
    assertEquals(
        List.of("h1/GPU-1 found again", "h2/GPU-9 second"),
        state.quarantined().stream()
            .map(q -> q.host() + "/" + q.uuid() + " " + q.reason())
            .toList(),
        "reported again, a GPU keeps its place with the newest report");
    assertEquals(measured, book.idleBaselines());
  }

  @Test
  void recordingOutcomesCountsThemAndUsesTheHighestAttempt() {
    RunBook book = RunBook.start(4, 1);
    for (int i = 0; i < 4; i++) {
      book.started(i);
    }
    assertEquals(4, book.count(RunStatus.RUNNING));
    assertEquals(3, book.lastStartedIndex());

    assertNull(
        book.record(run(0), outcome(0, RunOutcome.Status.COMPLETED, 2, 10_000, null), 1, false));
    RecentFailure failure =
        book.record(run(1), outcome(1, RunOutcome.Status.FAILED, 1, 20_000, "OomKilled"), 3, false);
    assertNull(book.record(run(2), outcome(2, RunOutcome.Status.CANCELED, 1, 5, null), 1, true));
    assertNull(book.record(run(3), outcome(3, RunOutcome.Status.CANCELED, 1, 5, null), 1, false));

    assertEquals(new RecentFailure("e1.c1", "OomKilled", "it broke"), failure);
    assertEquals(
        List.of(RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.SKIPPED, RunStatus.CANCELED),
        List.of(book.status(0), book.status(1), book.status(2), book.status(3)));
    assertEquals(3, book.nextAttempt("e0.c1"), "the outcome's attempt 2 was the highest");
    assertEquals(4, book.nextAttempt("e1.c1"), "the campaign's attempt 3 was the highest");
    assertEquals(1, book.consecutiveFailures());
    assertEquals(List.of(failure), book.recentFailures());
    assertEquals(0, book.count(RunStatus.RUNNING));
  }

  @Test
  void aFailureWithoutDetailsIsRecordedAsUnknown() {
    RunBook book = RunBook.start(1, 1);
    book.started(0);
    RecentFailure failure =
        book.record(run(0), outcome(0, RunOutcome.Status.FAILED, 1, 1, null), 1, false);
    assertEquals(new RecentFailure("e0.c1", "Unknown", null), failure);
  }

  @Test
  void onlyTheLastTenFailuresAreKept() {
    RunBook book = RunBook.start(12, 1);
    for (int i = 0; i < 12; i++) {
      book.started(i);
      book.record(run(i), outcome(i, RunOutcome.Status.FAILED, 1, 1, "ExitNonZero"), 1, false);
    }
    List<RecentFailure> kept = book.recentFailures();
    assertEquals(RunBook.RECENT_FAILURES_KEPT, kept.size());
    assertEquals("e2.c1", kept.get(0).runId());
    assertEquals("e11.c1", kept.get(9).runId());
    assertEquals(12, book.consecutiveFailures());
  }

  @Test
  void theEtaSpreadsTheMeanDurationOfFinishedRunsOverTheConcurrency() {
    RunBook book = RunBook.start(5, 2);
    book.started(0);
    book.record(run(0), outcome(0, RunOutcome.Status.COMPLETED, 1, 10_000, null), 1, false);
    book.started(1);
    book.record(run(1), outcome(1, RunOutcome.Status.FAILED, 1, 20_000, "ExitNonZero"), 1, false);
    book.started(2);
    book.record(run(2), outcome(2, RunOutcome.Status.CANCELED, 1, 999_000, null), 1, true);
    // 2 pending + nothing running, mean of the completed and failed runs 15 s, 2 at once.
    assertEquals(15L, book.etaSeconds());
    book.started(3);
    assertEquals(15L, book.etaSeconds(), "a running run still counts as left");
  }

  @Test
  void theCircuitBreakerPausesAtTheLimitOnce() {
    RunBook book = RunBook.start(3, 1);
    RecentFailure first = null;
    for (int i = 0; i < 2; i++) {
      book.started(i);
      first =
          book.record(run(i), outcome(i, RunOutcome.Status.FAILED, 1, 1, "ExitNonZero"), 1, false);
      book.tripCircuitBreaker(2, first);
      assertEquals(i == 1, book.paused());
    }
    assertEquals(
        "circuit breaker: 2 runs failed in a row (last: e1.c1, ExitNonZero); fix the cause, then"
            + " resume (and retryFailed to run them again)",
        book.pausedReason());
    book.started(2);
    RecentFailure third =
        book.record(run(2), outcome(2, RunOutcome.Status.FAILED, 1, 1, "OomKilled"), 1, false);
    book.tripCircuitBreaker(2, third);
    assertTrue(book.pausedReason().contains("last: e1.c1"), "paused already: the reason stays");
  }

  @Test
  void aSingleFailureReadsInTheSingular() {
    RunBook book = RunBook.start(1, 1);
    book.started(0);
    book.tripCircuitBreaker(
        1, book.record(run(0), outcome(0, RunOutcome.Status.FAILED, 1, 1, "OomKilled"), 1, false));
    assertTrue(book.pausedReason().startsWith("circuit breaker: 1 run failed in a row"));
  }

  @Test
  void aCompletedRunResetsTheFailuresInARowAndResumingResetsThemToo() {
    RunBook book = RunBook.start(3, 1);
    book.started(0);
    book.record(run(0), outcome(0, RunOutcome.Status.FAILED, 1, 1, "ExitNonZero"), 1, false);
    book.started(1);
    book.record(run(1), outcome(1, RunOutcome.Status.COMPLETED, 1, 1, null), 1, false);
    assertEquals(0, book.consecutiveFailures());
    book.started(2);
    book.record(run(2), outcome(2, RunOutcome.Status.FAILED, 1, 1, "ExitNonZero"), 1, false);
    book.pause("paused by a user");
    book.resume();
    assertFalse(book.paused());
    assertEquals(0, book.consecutiveFailures());
  }

  @Test
  void retryFailedMakesFailedRunsPendingAgainInPlanOrder() {
    RunBook book = RunBook.start(3, 1);
    for (int i = 0; i < 3; i++) {
      book.started(i);
      book.record(
          run(i),
          outcome(
              i,
              i == 1 ? RunOutcome.Status.COMPLETED : RunOutcome.Status.FAILED,
              1,
              1,
              i == 1 ? null : "ExitNonZero"),
          1,
          false);
    }
    assertEquals(-1, book.firstPending());
    assertEquals(2, book.retryFailed());
    assertEquals(0, book.firstPending());
    assertEquals(2, book.count(RunStatus.PENDING));
    assertEquals(0, book.count(RunStatus.FAILED));
    assertEquals(0, book.consecutiveFailures());
    assertEquals(2, book.nextAttempt("e0.c1"), "a retried run goes on from its last attempt");
  }

  @Test
  void aSkippedPendingRunIsNoLongerNext() {
    RunBook book = RunBook.start(2, 1);
    book.set(0, RunStatus.SKIPPED);
    assertEquals(1, book.firstPending());
    assertEquals(1, book.count(RunStatus.SKIPPED));
  }

  @Test
  void theProgressSaysRunningPausedOrHowTheCampaignEnded() {
    RunBook book = RunBook.start(3, 2);
    book.started(0);
    book.record(run(0), outcome(0, RunOutcome.Status.COMPLETED, 1, 4_000, null), 1, false);
    book.set(1, RunStatus.SKIPPED);
    book.quarantined(quarantined("h1", "GPU-1", "pid 7"));
    List<RunningRun> running = List.of(new RunningRun("e2.c1", "h1", List.of("GPU-3"), 1, "now"));

    CampaignProgress p = book.progress("demo", running);
    assertEquals(
        new CampaignProgress(
            "demo",
            CampaignStatus.RUNNING,
            3,
            1,
            0,
            1,
            1,
            running,
            List.of(),
            2L,
            null,
            2,
            List.of(quarantined("h1", "GPU-1", "pid 7"))),
        p);

    book.pause("paused by a user");
    p = book.progress("demo", List.of());
    assertEquals(
        List.of(CampaignStatus.PAUSED, "paused by a user"), List.of(p.state(), p.reason()));

    book.end(CampaignStatus.FAILED, "failFast: run e2.c1 failed with OomKilled");
    p = book.progress("demo", List.of());
    assertEquals(
        List.of(CampaignStatus.FAILED, "failFast: run e2.c1 failed with OomKilled"),
        List.of(p.state(), p.reason()),
        "an ended campaign shows how it ended, not its pause");
    assertEquals(CampaignStatus.FAILED, book.ending());
  }
}
