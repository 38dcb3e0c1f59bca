package org.llenergymeasure.campaign.workflows.schedule;

import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.unsafe.WorkflowUnsafe;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.llenergymeasure.campaign.workflows.LlemSearchAttributes;
import org.llenergymeasure.campaign.workflows.TaskQueues;
import org.llenergymeasure.campaign.workflows.campaign.CampaignInput;
import org.llenergymeasure.campaign.workflows.campaign.CampaignMemo;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.CampaignStatus;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflow;
import org.llenergymeasure.campaign.workflows.plan.CampaignPack;
import org.slf4j.Logger;

/**
 * Names the firing from its workflow id, then runs the frozen file as the campaign of that name
 * (the same input, memo and search attributes {@code run} gives a campaign) and waits for it.
 * Canceling the firing cancels its campaign (which stops its runs cleanly); a firing terminated or
 * timed out leaves its campaign running (parent-close policy abandon), and so does deleting the
 * schedule.
 */
public class ScheduledCampaignWorkflowImpl implements ScheduledCampaignWorkflow {

  private static final Logger log = Workflow.getLogger(ScheduledCampaignWorkflowImpl.class);

  @Override
  public FiringResult run(ScheduledCampaignInput input) {
    String name =
        FiringNames.of(
            input.schedule(), Workflow.getInfo().getWorkflowId(), Workflow.currentTimeMillis());
    // The compact form is small (a grid is stored by column), but a 100,000-experiment one still
    // takes a moment to rename on a loaded machine: pure work, not a blocked thread.
    String packed =
        WorkflowUnsafe.deadlockDetectorOff(
            () -> CampaignPack.withName(input.packedCampaign(), name));
    CampaignWorkflow campaign =
        Workflow.newChildWorkflowStub(CampaignWorkflow.class, options(input, name));
    log.info("schedule {} fires campaign {}", input.schedule(), name);
    try {
      CampaignProgress end =
          campaign.run(
              new CampaignInput(
                  null, input.planHash(), input.candidateHosts(), null, null, packed));
      return new FiringResult(name, end.state().label());
    } catch (ChildWorkflowFailure e) {
      return new FiringResult(
          name,
          e.getCause() instanceof CanceledFailure
              ? CampaignStatus.CANCELED.label()
              : CampaignStatus.FAILED.label());
    }
  }

  static ChildWorkflowOptions options(ScheduledCampaignInput input, String name) {
    Map<String, Object> memo = new LinkedHashMap<>();
    memo.put(CampaignMemo.PLAN_HASH, input.planHash());
    if (input.experimentHashes() != null) {
      memo.put(CampaignMemo.EXPERIMENT_HASHES, input.experimentHashes());
    }
    return ChildWorkflowOptions.newBuilder()
        .setWorkflowId(CampaignWorkflow.workflowId(name))
        .setTaskQueue(TaskQueues.CAMPAIGNS)
        // As `run` starts a campaign: its first task unpacks and indexes the campaign.
        .setWorkflowTaskTimeout(Duration.ofMinutes(1))
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
        .setMemo(memo)
        .setStaticSummary(
            "campaign "
                + name
                + ": "
                + input.plannedRuns()
                + " runs (schedule "
                + input.schedule()
                + ")")
        .setStaticDetails(
            "### "
                + name
                + "\nfired by schedule `"
                + input.schedule()
                + "`\n\n"
                + (input.details() == null ? "" : input.details()))
        .setTypedSearchAttributes(
            SearchAttributes.newBuilder()
                .set(LlemSearchAttributes.CAMPAIGN, name)
                .set(LlemSearchAttributes.STATUS, CampaignStatus.RUNNING.label())
                .set(LlemSearchAttributes.PLANNED, input.plannedRuns())
                .build())
        .build();
  }
}
