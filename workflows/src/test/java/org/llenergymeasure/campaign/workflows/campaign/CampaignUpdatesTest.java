package org.llenergymeasure.campaign.workflows.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.temporal.workflow.CancellationScope;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.config.PlannedRun;
import org.llenergymeasure.campaign.workflows.TestExperiments;
import org.llenergymeasure.campaign.workflows.run.RunOutcome;

/** The update handlers and validators on their own: what they refuse, change and answer. */
class CampaignUpdatesTest {

  private final List<PlannedRun> runs =
      List.of(
          new PlannedRun("a.c1", "a", 1, 0),
          new PlannedRun("b.c1", "b", 1, 1),
          new PlannedRun("c.c1", "c", 1, 2));
  private final RunBook book = RunBook.start(runs.size(), 1);
  private final InFlightRuns inFlight = new InFlightRuns();
  private int changes;
  private final CampaignUpdates updates =
      new CampaignUpdates("demo", runs, book, inFlight, () -> changes++);

  private static void refused(String message, Executable validator) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, validator);
    assertEquals(message, e.getMessage());
  }

  private InFlight running(int index) {
    book.started(index);
    InFlight f =
        new InFlight(
            runs.get(index), TestExperiments.experiment("e", null, GpuRequest.none()), 1, "now");
    f.scope = mock(CancellationScope.class);
    inFlight.add(f);
    return f;
  }

  private void failed(int index) {
    book.started(index);
    book.record(
        runs.get(index),
        new RunOutcome(
            runs.get(index).runId(),
            RunOutcome.Status.FAILED,
            1,
            "h1",
            null,
            List.of(),
            List.of(),
            Map.of(),
            0,
            1,
            List.of()),
        1,
        false);
  }

  @Test
  void beforeTheCampaignHasStartedAnUpdateIsToldToTryAgain() {
    assertEquals(
        "the campaign has not started yet; try pause again in a moment",
        CampaignUpdates.notStarted("pause").getMessage());
  }

  @Test
  void anEndedCampaignRefusesEveryUpdate() {
    book.end(CampaignStatus.COMPLETED, null);
    refused(
        "campaign demo has ended (completed); pause changes nothing",
        () -> updates.validatePause(null));
    refused("campaign demo has ended (completed); resume changes nothing", updates::validateResume);
    refused(
        "campaign demo has ended (completed); skip changes nothing",
        () -> updates.validateSkip("a.c1"));
    refused(
        "campaign demo has ended (completed); retryFailed changes nothing",
        updates::validateRetryFailed);
    refused(
        "campaign demo has ended (completed); setConcurrency changes nothing",
        () -> updates.validateSetConcurrency(2));
  }

  @Test
  void pauseAndResumeSayWhatTheyDidAndWakeTheLoop() {
    running(0);
    updates.validatePause(" maintenance ");
    assertEquals(
        "campaign demo paused; 1 running run(s) finish, no new run starts until resume",
        updates.pause(" maintenance "));
    assertEquals("paused by a user: maintenance", book.pausedReason());
    refused(
        "campaign demo is already paused: paused by a user: maintenance",
        () -> updates.validatePause(null));
    updates.validateResume();
    assertEquals("campaign demo resumed (was paused by a user: maintenance)", updates.resume());
    refused("campaign demo is not paused; nothing to resume", updates::validateResume);
    assertEquals(2, changes);
  }

  @Test
  void aPauseWithoutAReasonSaysItWasAUser() {
    updates.pause("  ");
    assertEquals("paused by a user", book.pausedReason());
  }

  @Test
  void skipRefusesUnknownAndFinishedRuns() {
    refused(
        "campaign demo has no run 'a.c9'; run ids are <experiment>.c<cycle>, e.g. a.c1 (see"
            + " `llem-campaign plan FILE`)",
        () -> updates.validateSkip("a.c9"));
    refused(
        "campaign demo has no run 'null'; run ids are <experiment>.c<cycle>, e.g. a.c1 (see"
            + " `llem-campaign plan FILE`)",
        () -> updates.validateSkip(null));
    failed(0);
    refused(
        "run a.c1 is already failed; only a pending or running run can be skipped",
        () -> updates.validateSkip("a.c1"));
  }

  @Test
  void aPendingRunIsSkippedAtOnce() {
    updates.validateSkip("b.c1");
    assertEquals("run b.c1 skipped", updates.skip("b.c1"));
    assertEquals(RunStatus.SKIPPED, book.status(1));
    assertEquals(1, changes);
  }

  @Test
  void aRunningRunIsCanceledOnceAndCountsAsSkippedWhenItEnds() {
    InFlight a = running(0);
    InFlight b = running(1);
    updates.validateSkip("a.c1");
    assertEquals(
        "run a.c1 is being canceled: its attempt is recorded as Canceled, its container removed,"
            + " and it ends as skipped",
        updates.skip("a.c1"));
    verify(a.scope).cancel();
    verify(b.scope, never()).cancel();
    refused("run a.c1 is already being skipped", () -> updates.validateSkip("a.c1"));
    assertEquals(0, changes, "nothing changes until the run ends");
    assertEquals(true, inFlight.takeSkip("a.c1"));
    assertEquals(false, inFlight.takeSkip("a.c1"));
  }

  @Test
  void retryFailedNeedsAFailedRunAndSaysWhenThePauseHoldsThem() {
    refused("campaign demo has no failed run to retry", updates::validateRetryFailed);
    failed(0);
    failed(1);
    updates.validateRetryFailed();
    assertEquals("2 failed run(s) of campaign demo are pending again", updates.retryFailed());
    failed(0);
    book.pause("circuit breaker: 1 run failed in a row");
    assertEquals(
        "1 failed run(s) of campaign demo are pending again; the campaign is paused (circuit"
            + " breaker: 1 run failed in a row): resume it to start them",
        updates.retryFailed());
    assertEquals(2, changes);
  }

  @Test
  void setConcurrencyTakesOneToSixtyFour() {
    refused("concurrency must be between 1 and 64, got 0", () -> updates.validateSetConcurrency(0));
    refused(
        "concurrency must be between 1 and 64, got 65", () -> updates.validateSetConcurrency(65));
    updates.validateSetConcurrency(64);
    assertEquals(
        "campaign demo concurrency 1 -> 3 (runs still never share a GPU)",
        updates.setConcurrency(3));
    assertEquals(3, book.concurrency());
    assertEquals(1, changes);
  }
}
