package org.llenergymeasure.campaign.workflows.campaign;

import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.workflow.ChildWorkflowCancellationType;
import io.temporal.workflow.ChildWorkflowOptions;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.PlannedRun;
import org.llenergymeasure.campaign.workflows.TaskQueues;
import org.llenergymeasure.campaign.workflows.run.ExperimentWorkflow;

/** Options of a run's ExperimentWorkflow child. */
final class RunChildOptions {

  private RunChildOptions() {}

  static ChildWorkflowOptions of(
      String campaign, PlannedRun run, Experiment experiment, int plannedRuns) {
    return ChildWorkflowOptions.newBuilder()
        .setWorkflowId(ExperimentWorkflow.workflowId(campaign, run.runId()))
        .setTaskQueue(TaskQueues.CAMPAIGNS)
        // A run retried by retryFailed starts a new child under the same id.
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
        // A canceled run records its attempt and removes its container before the campaign goes on.
        .setCancellationType(ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setStaticSummary(CampaignVisibility.runSummary(run, plannedRuns))
        .setStaticDetails(CampaignVisibility.runDetails(run, experiment))
        .setTypedSearchAttributes(CampaignVisibility.runSearchAttributes(campaign, run))
        .build();
  }
}
