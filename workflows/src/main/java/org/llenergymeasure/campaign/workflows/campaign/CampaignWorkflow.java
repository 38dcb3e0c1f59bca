package org.llenergymeasure.campaign.workflows.campaign;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One campaign (workflow id {@code campaign/<name>}): runs every planned run as an
 * ExperimentWorkflow child, in plan order, and survives worker crashes and restarts through its
 * history.
 */
@WorkflowInterface
public interface CampaignWorkflow {

  /** Returns the final progress: state completed (some runs may have failed) or failed. */
  @WorkflowMethod
  CampaignProgress run(CampaignInput input);

  @QueryMethod(
      name = "progress",
      description =
          "Where the campaign stands: state, run totals (planned, completed, failed, skipped,"
              + " pending), running runs, recent failures with their types, and an ETA from"
              + " observed run durations.")
  CampaignProgress progress();

  static String workflowId(String campaign) {
    return "campaign/" + campaign;
  }
}
