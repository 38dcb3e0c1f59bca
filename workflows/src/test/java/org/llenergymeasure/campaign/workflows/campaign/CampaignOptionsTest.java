package org.llenergymeasure.campaign.workflows.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.workflow.ChildWorkflowCancellationType;
import io.temporal.workflow.ChildWorkflowOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.config.PlannedRun;
import org.llenergymeasure.campaign.workflows.LlemSearchAttributes;
import org.llenergymeasure.campaign.workflows.TestExperiments;

/** The options of the campaign's own activities and of a run's child workflow. */
class CampaignOptionsTest {

  @Test
  void aCooldownRunsOnTheRunsHostAndIsBoundedByItsTimeout() {
    ActivityOptions o =
        CampaignActivityOptions.cooldown("h1", "cooldown after a.c1", Duration.ofMinutes(15));
    assertEquals("llem-host-h1", o.getTaskQueue());
    assertEquals("cooldown after a.c1", o.getSummary());
    assertEquals(Duration.ofMinutes(16), o.getStartToCloseTimeout());
    assertEquals(Duration.ofMinutes(20), o.getScheduleToCloseTimeout());
    assertEquals(3, o.getRetryOptions().getMaximumAttempts());
  }

  /** A host whose worker is not running must not hold the campaign's start. */
  @Test
  void anIdleBaselineGivesUpOnAHostNoWorkerServesWithinThirtySeconds() {
    ActivityOptions o = CampaignActivityOptions.idleBaseline("h2");
    assertEquals("llem-host-h2", o.getTaskQueue());
    assertEquals("idle baseline of h2", o.getSummary());
    assertEquals(Duration.ofSeconds(30), o.getScheduleToStartTimeout());
  }

  @Test
  void aRunsChildHasItsIdCanBeStartedAgainAndIsCanceledWithTheCampaign() {
    PlannedRun run = new PlannedRun("a.c1", "a", 1, 0);
    ChildWorkflowOptions o =
        RunChildOptions.of(
            "demo", run, TestExperiments.experiment("a", null, GpuRequest.of(List.of("0"))), 4);
    assertEquals("campaign/demo/a.c1", o.getWorkflowId());
    assertEquals("llem-campaigns", o.getTaskQueue());
    assertEquals(
        WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
        o.getWorkflowIdReusePolicy(),
        "retryFailed starts a new child under the same id");
    assertEquals(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL, o.getParentClosePolicy());
    assertEquals(
        ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED, o.getCancellationType());
    assertEquals("run a.c1 (1/4)", o.getStaticSummary());
    assertEquals("running", o.getTypedSearchAttributes().get(LlemSearchAttributes.STATUS));
  }
}
