package org.llenergymeasure.campaign.workflows.campaign;

import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.PlannedRun;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.RunFailure;
import org.llenergymeasure.campaign.workflows.run.RunOutcome;
import org.llenergymeasure.campaign.workflows.run.RunRouted;

/** A run whose child workflow (or the cooldown after it) is in flight. */
final class InFlight {

  final PlannedRun run;
  final Experiment experiment;

  /** ISO-8601 instant the run started. */
  final String since;

  int attempt;
  String host;
  List<String> gpus = List.of();
  boolean coolingDown;

  /** The run's own scope, so {@code skip} can cancel this run alone. */
  CancellationScope scope;

  Promise<RunOutcome> outcome;

  InFlight(PlannedRun run, Experiment experiment, int attempt, String since) {
    this.run = run;
    this.experiment = experiment;
    this.attempt = attempt;
    this.host = experiment.host();
    this.since = since;
  }

  /** Where the attempt runs now; false for a late signal of an earlier attempt. */
  boolean routed(RunRouted routed) {
    if (routed.attempt() < attempt) {
      return false;
    }
    attempt = routed.attempt();
    host = routed.host();
    gpus = routed.uuids();
    return true;
  }

  RunningRun running() {
    return new RunningRun(run.runId(), host, gpus, attempt, since);
  }

  /**
   * The outcome of a child that failed as a workflow (terminated, timed out, canceled before it
   * started, a bug) rather than returning one.
   */
  RunOutcome unfinished(RuntimeException e, long now) {
    Throwable cause =
        e instanceof ChildWorkflowFailure c && c.getCause() != null ? c.getCause() : e;
    boolean canceled = cause instanceof CanceledFailure;
    String type =
        cause instanceof ApplicationFailure app ? app.getType() : FailureTypes.WORKER_LOST;
    return new RunOutcome(
        run.runId(),
        canceled ? RunOutcome.Status.CANCELED : RunOutcome.Status.FAILED,
        attempt,
        host,
        canceled
            ? null
            : new RunFailure(
                type, "the run's workflow ended without an outcome: " + cause.getMessage()),
        gpus,
        List.of(),
        Map.of(),
        now,
        now,
        List.of());
  }
}
