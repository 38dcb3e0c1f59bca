package org.llenergymeasure.campaign.workflows.campaign;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.llenergymeasure.campaign.workflows.run.RunRouted;

/**
 * One campaign (workflow id {@code campaign/<name>}): runs every planned run as an
 * ExperimentWorkflow child in plan order, at most {@code concurrency} at once, and survives worker
 * crashes and restarts through its history.
 *
 * <p>Updates change a running campaign; each has a validator that refuses nonsense with a reason (a
 * refused update never enters the history, and the caller gets the reason). Each accepted update
 * answers one readable line saying what it did.
 */
@WorkflowInterface
public interface CampaignWorkflow {

  /**
   * Returns the final progress: state completed (every run final; some may have failed) or failed
   * (failFast). A canceled campaign ends canceled (the client sees a CanceledFailure).
   */
  @WorkflowMethod
  CampaignProgress run(CampaignInput input);

  @QueryMethod(
      name = "progress",
      description =
          "Where the campaign stands: state (running, paused, completed, failed, canceled) and why,"
              + " run totals (planned, completed, failed, skipped, pending), running runs (id,"
              + " host, GPUs, attempt, since), recent failures with their types, and an ETA from"
              + " observed run durations.")
  CampaignProgress progress();

  /** Start no new run; running runs finish. {@code reason} may be null. */
  @UpdateMethod(
      name = "pause",
      description = "Start no new run until resumed; running runs finish.")
  String pause(String reason);

  @UpdateValidatorMethod(updateName = "pause")
  void validatePause(String reason);

  /** Start runs again; also resets the circuit breaker. */
  @UpdateMethod(
      name = "resume",
      description = "Start runs again after a pause (by a user or the circuit breaker).")
  String resume();

  @UpdateValidatorMethod(updateName = "resume")
  void validateResume();

  /** Skip a pending run, or stop a running one cleanly (its container removed, its lease freed). */
  @UpdateMethod(
      name = "skip",
      description = "Skip a pending run, or cancel a running one cleanly; the run ends as skipped.")
  String skip(String runId);

  @UpdateValidatorMethod(updateName = "skip")
  void validateSkip(String runId);

  /**
   * Every failed run becomes pending again, with its full retries, from its next attempt number.
   */
  @UpdateMethod(
      name = "retryFailed",
      description =
          "Run every failed run again (a new attempt, a new container); resets the circuit breaker.")
  String retryFailed();

  @UpdateValidatorMethod(updateName = "retryFailed")
  void validateRetryFailed();

  /** How many runs may run at once (on disjoint GPU sets) from now on. */
  @UpdateMethod(
      name = "setConcurrency",
      description = "Change how many runs may run at once (1..64).")
  String setConcurrency(int concurrency);

  @UpdateValidatorMethod(updateName = "setConcurrency")
  void validateSetConcurrency(int concurrency);

  /**
   * Changes the running campaign to a new version of its file: added experiments run in the cycles
   * that have not started, a removed experiment's runs that have not started are skipped, a changed
   * experiment's runs that have not started use its new definition under the name {@code
   * <experiment>@v<version>}. Runs that have started finish as they are.
   */
  @UpdateMethod(
      name = "amend",
      description =
          "Change the running campaign to a new version of its file (experiments added, removed"
              + " or changed); runs that have started finish as they are.")
  String amend(AmendRequest request);

  @UpdateValidatorMethod(updateName = "amend")
  void validateAmend(AmendRequest request);

  @QueryMethod(
      name = "plan",
      description =
          "The campaign file it runs under now: its plan version, every plan hash it has run"
              + " under, the file (packed) and the name each experiment's runs carry.")
  CurrentPlan currentPlan();

  /** Sent by a run's child workflow once an attempt is routed. */
  @SignalMethod(name = "runRouted")
  void runRouted(RunRouted routed);

  static String workflowId(String campaign) {
    return "campaign/" + campaign;
  }
}
