package org.llenergymeasure.campaign.workflows.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.workflows.host.RunFailure;

class RunFailuresTest {

  private static ActivityFailure failed(Throwable cause) {
    return new ActivityFailure(
        "Activity task failed", 5, 6, "Route", "7", RetryState.RETRY_STATE_UNSPECIFIED, "w", cause);
  }

  @Test
  void ourActivitiesFailuresKeepTheirTypeAndMessage() {
    ActivityFailure f =
        failed(
            ApplicationFailure.newNonRetryableFailure(
                "GPU 9 does not exist", "InvalidGpuSelection"));
    assertEquals(new RunFailure("InvalidGpuSelection", "GPU 9 does not exist"), RunFailures.of(f));
    assertFalse(RunFailures.isCancellation(f));
  }

  @Test
  void aStepNoWorkerDidInTimeIsWorkerLost() {
    RunFailure timedOut =
        RunFailures.of(
            failed(new TimeoutFailure("late", null, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START)));
    assertEquals(
        new RunFailure(
            "WorkerLost",
            "the host's worker did not answer in time (TIMEOUT_TYPE_SCHEDULE_TO_START); is the"
                + " worker of this host running?"),
        timedOut);
    assertEquals(
        new RunFailure("WorkerLost", "odd"),
        RunFailures.of(failed(new IllegalStateException("odd"))));
    assertEquals("WorkerLost", RunFailures.of(failed(null)).type());
  }

  @Test
  void aCanceledStepIsACancellation() {
    assertTrue(RunFailures.isCancellation(failed(new CanceledFailure("skip"))));
  }

  @Test
  void routingTriesTheNextHostOnlyWhenThisOneIsBusyAndWaitsOrDidNotAnswer() {
    assertTrue(RunFailures.tryNextHost(failed(ApplicationFailure.newFailure("busy", "GpuBusy"))));
    assertFalse(
        RunFailures.tryNextHost(
            failed(ApplicationFailure.newNonRetryableFailure("busy", "GpuBusy"))),
        "busy: fail");
    assertFalse(
        RunFailures.tryNextHost(
            failed(ApplicationFailure.newFailure("no", "InvalidGpuSelection"))));
    assertTrue(
        RunFailures.tryNextHost(
            failed(new TimeoutFailure("late", null, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START))));
  }

  @Test
  void aCanceledAttemptKeepsWhereItRanButNoResult() {
    RunOutcome ran =
        new RunOutcome(
            "a.c1",
            RunOutcome.Status.FAILED,
            2,
            "h1",
            new RunFailure("ExitNonZero", "exited 3"),
            List.of("GPU-1"),
            List.of("GPU-1"),
            Map.of("energy_j", 5),
            10,
            20,
            List.of());
    assertEquals(
        new RunOutcome(
            "a.c1",
            RunOutcome.Status.CANCELED,
            2,
            "h1",
            new RunFailure(
                "Canceled", "the run was canceled (skipped, or its campaign was canceled)"),
            List.of("GPU-1"),
            List.of("GPU-1"),
            Map.of(),
            10,
            20,
            List.of()),
        RunFailures.canceled(ran));
  }
}
