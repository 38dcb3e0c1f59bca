package org.llenergymeasure.campaign.workflows.run;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.RunFailure;

/**
 * How a failed or canceled step reads in a run's outcome: a stable type from FailureTypes and a
 * readable message.
 */
final class RunFailures {

  /** What an attempt records when its run was canceled. */
  static final RunFailure CANCELED =
      new RunFailure(
          FailureTypes.CANCELED, "the run was canceled (skipped, or its campaign was canceled)");

  private RunFailures() {}

  static boolean isCancellation(ActivityFailure failure) {
    return failure.getCause() instanceof CanceledFailure;
  }

  /**
   * The type our activities threw; a step that timed out or failed otherwise means the host's
   * worker did not do it ({@code WorkerLost}).
   */
  static RunFailure of(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    if (cause instanceof ApplicationFailure app) {
      return new RunFailure(app.getType(), app.getOriginalMessage());
    }
    if (cause instanceof TimeoutFailure timeout) {
      return new RunFailure(
          FailureTypes.WORKER_LOST,
          "the host's worker did not answer in time ("
              + timeout.getTimeoutType()
              + "); is the worker of this host running?");
    }
    return new RunFailure(
        FailureTypes.WORKER_LOST,
        String.valueOf(cause == null ? failure.getMessage() : cause.getMessage()));
  }

  /**
   * Whether routing on another candidate host may succeed: this one is busy (and waits rather than
   * fails), or its worker did not answer in time.
   */
  static boolean tryNextHost(ActivityFailure failure) {
    return (FailureTypes.GPU_BUSY.equals(of(failure).type()) && isRetryable(failure))
        || failure.getCause() instanceof TimeoutFailure;
  }

  private static boolean isRetryable(ActivityFailure failure) {
    return failure.getCause() instanceof ApplicationFailure app && !app.isNonRetryable();
  }

  /** The outcome of a canceled attempt: canceled, with no result and no quarantined GPUs. */
  static RunOutcome canceled(RunOutcome o) {
    return new RunOutcome(
        o.runId(),
        RunOutcome.Status.CANCELED,
        o.attempt(),
        o.host(),
        CANCELED,
        o.routedUuids(),
        o.verifiedUuids(),
        Map.of(),
        o.startedAtMillis(),
        o.finishedAtMillis(),
        List.of());
  }
}
