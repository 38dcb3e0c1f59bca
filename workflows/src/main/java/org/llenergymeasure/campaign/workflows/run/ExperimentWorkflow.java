package org.llenergymeasure.campaign.workflows.run;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One run (an experiment in one cycle): route, launch, verify, await, collect, cleanup, on the host
 * that routed it, with its attempts looping inside. Workflow id {@code campaign/<name>/<runId>}.
 */
@WorkflowInterface
public interface ExperimentWorkflow {

  /** Signal name of {@link #runStep}. */
  String RUN_STEP = "runStep";

  /** Returns the outcome of the last attempt; a failed run is an outcome, not an exception. */
  @WorkflowMethod
  RunOutcome run(RunInput input);

  /**
   * The running attempt's newest progress step (from its await activity): shown in the run's
   * current details while it runs. Display only: it issues no command.
   */
  @SignalMethod(name = RUN_STEP)
  void runStep(RunStep step);

  static String workflowId(String campaign, String runId) {
    return "campaign/" + campaign + "/" + runId;
  }
}
