package org.llenergymeasure.campaign.workflows.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.CancellationScope;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.config.PlannedRun;
import org.llenergymeasure.campaign.workflows.TestExperiments;
import org.llenergymeasure.campaign.workflows.host.RunFailure;
import org.llenergymeasure.campaign.workflows.run.RunOutcome;
import org.llenergymeasure.campaign.workflows.run.RunRouted;

/** A run in flight: its routing as signaled, and the outcome of a child that returned none. */
class InFlightTest {

  private static InFlight inFlight(String runId, int index, String pinnedHost) {
    InFlight f =
        new InFlight(
            new PlannedRun(runId, runId.substring(0, 1), 1, index),
            TestExperiments.experiment("e", pinnedHost, GpuRequest.count(1)),
            2,
            "2026-01-01T00:00:00Z");
    f.scope = mock(CancellationScope.class);
    return f;
  }

  private static ChildWorkflowFailure childFailed(Throwable cause) {
    return new ChildWorkflowFailure(
        1,
        2,
        "ExperimentWorkflow",
        WorkflowExecution.newBuilder().setWorkflowId("campaign/demo/a.c1").build(),
        "default",
        RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE,
        cause);
  }

  @Test
  void aRunShowsItsPinnedHostUntilRoutedThenWhereTheLatestAttemptRuns() {
    InFlight f = inFlight("a.c1", 0, "h1");
    assertEquals(new RunningRun("a.c1", "h1", List.of(), 2, "2026-01-01T00:00:00Z"), f.running());
    assertFalse(f.routed(new RunRouted("a.c1", 1, "h9", List.of("0"), List.of("GPU-0"))), "late");
    assertTrue(f.routed(new RunRouted("a.c1", 3, "h2", List.of("4"), List.of("GPU-4"))));
    assertEquals(
        new RunningRun("a.c1", "h2", List.of("GPU-4"), 3, "2026-01-01T00:00:00Z"), f.running());
  }

  @Test
  void aChildCanceledBeforeItAnsweredEndsCanceled() {
    InFlight f = inFlight("a.c1", 0, "h1");
    for (RuntimeException e :
        List.<RuntimeException>of(
            new CanceledFailure("stop"), childFailed(new CanceledFailure("stop")))) {
      RunOutcome o = f.unfinished(e, 5_000);
      assertEquals(RunOutcome.Status.CANCELED, o.status());
      assertNull(o.failure());
      assertEquals(
          List.of("a.c1", 2, "h1", 5_000L, 5_000L),
          List.of(o.runId(), o.attempt(), o.host(), o.startedAtMillis(), o.finishedAtMillis()));
    }
  }

  @Test
  void aChildThatFailedAsAWorkflowFailsWithItsTypeOrWorkerLost() {
    InFlight f = inFlight("a.c1", 0, null);
    f.routed(new RunRouted("a.c1", 2, "h2", List.of("1"), List.of("GPU-1")));
    RunOutcome typed =
        f.unfinished(childFailed(ApplicationFailure.newFailure("boom", "ResultInvalid")), 7);
    assertEquals(RunOutcome.Status.FAILED, typed.status());
    assertEquals("ResultInvalid", typed.failure().type());
    assertTrue(
        typed.failure().message().startsWith("the run's workflow ended without an outcome: "),
        typed.failure().message());
    assertEquals(List.of("GPU-1"), typed.routedUuids());
    assertEquals("h2", typed.host());

    RunOutcome timedOut =
        f.unfinished(
            childFailed(
                new TimeoutFailure("too slow", null, TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE)),
            7);
    assertEquals("WorkerLost", timedOut.failure().type());
    assertEquals(
        new RunFailure("WorkerLost", "the run's workflow ended without an outcome: bare"),
        f.unfinished(new IllegalStateException("bare"), 7).failure());
  }

  @Test
  void theRunsInFlightKeepTheirStartOrderAndCoolingDownIsNotRunning() {
    InFlightRuns runs = new InFlightRuns();
    InFlight a = inFlight("a.c1", 0, null);
    InFlight b = inFlight("b.c1", 1, null);
    InFlight c = inFlight("c.c1", 2, null);
    runs.add(b);
    runs.add(a);
    runs.add(c);
    a.coolingDown = true;
    assertEquals(List.of("b.c1", "c.c1"), runs.running().stream().map(RunningRun::runId).toList());
    assertEquals(3, runs.size());
    assertFalse(runs.routed(new RunRouted("z.c1", 9, "h", List.of(), List.of())), "not in flight");
    assertTrue(runs.routed(new RunRouted("c.c1", 2, "h3", List.of("0"), List.of("GPU-0"))));
    runs.cancelAllBut(b);
    verify(a.scope).cancel();
    verify(c.scope).cancel();
    verify(b.scope, never()).cancel();
    runs.remove(b);
    runs.remove(a);
    runs.remove(c);
    assertTrue(runs.isEmpty());
  }
}
