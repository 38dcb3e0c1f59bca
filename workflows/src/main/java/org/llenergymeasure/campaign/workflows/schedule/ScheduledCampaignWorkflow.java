package org.llenergymeasure.campaign.workflows.schedule;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One firing of a campaign schedule: the action a Temporal Schedule starts (workflow id {@code
 * schedule/<name>-<RFC 3339 time>}, as the schedule appends it to {@link #actionWorkflowId}). It
 * names the firing's campaign {@code <name>-<UTC time>} ({@link FiringNames}) and runs the frozen
 * campaign file under that name as a {@code CampaignWorkflow} child with the workflow id {@code
 * campaign/<firing name>}, so every campaign command works on it as on a campaign that {@code run}
 * started. It ends when that campaign ends, so the schedule's overlap policy (skip) sees a firing
 * as running for as long as its campaign runs.
 */
@WorkflowInterface
public interface ScheduledCampaignWorkflow {

  @WorkflowMethod
  FiringResult run(ScheduledCampaignInput input);

  /** The schedule's id and its action's workflow id (before the schedule's time suffix). */
  static String actionWorkflowId(String schedule) {
    return "schedule/" + schedule;
  }
}
