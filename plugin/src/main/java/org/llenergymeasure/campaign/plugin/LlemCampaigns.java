package org.llenergymeasure.campaign.plugin;

import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.common.RetryOptions;
import io.temporal.common.SearchAttributes;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Map;
import org.llenergymeasure.campaign.workflows.LlemSearchAttributes;
import org.llenergymeasure.campaign.workflows.TaskQueues;
import org.llenergymeasure.campaign.workflows.campaign.CampaignMemo;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.CampaignStatus;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflow;

/**
 * Starting a campaign from a workflow of your own, as a child workflow: call {@link #start} from
 * workflow code (it is deterministic: the file is validated and expanded by the {@link
 * CampaignPreparation} activity on {@code llem-campaigns}, whose result is recorded).
 *
 * <pre>{@code
 * String yaml = myActivities.readCampaignFile("nightly.yaml");   // your activity, or an input
 * LlemCampaignChild campaign = LlemCampaigns.start(yaml, "nightly.yaml");
 * CampaignProgress done = campaign.result().get();                // days later
 * }</pre>
 *
 * <p>The child is started with {@link ParentClosePolicy#PARENT_CLOSE_POLICY_ABANDON}: a campaign of
 * several days outlives a parent that ends, times out or is terminated sooner. Its workflow id is
 * {@code campaign/<name>}, as from the CLI, so {@code llem-campaign status NAME} and the Web UI
 * show it; a name that was used before is refused by the server (a changed campaign needs a new
 * name).
 */
public final class LlemCampaigns {

  private LlemCampaigns() {}

  /**
   * Validates and starts the campaign; returns once the child has started.
   *
   * @param campaignYaml the campaign file's text
   * @param fileName named in validation errors
   * @throws io.temporal.failure.ActivityFailure caused by an {@code ApplicationFailure} of type
   *     {@value CampaignPreparation#INVALID_CAMPAIGN_FILE} when the file is not a valid campaign
   * @throws io.temporal.failure.ChildWorkflowFailure when the child cannot start (e.g. the name was
   *     used before)
   */
  public static LlemCampaignChild start(String campaignYaml, String fileName) {
    CampaignPreparation preparation =
        Workflow.newActivityStub(
            CampaignPreparation.class,
            ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.CAMPAIGNS)
                .setStartToCloseTimeout(Duration.ofMinutes(2))
                .setRetryOptions(
                    RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(1))
                        .setMaximumAttempts(5)
                        .build())
                .setSummary("validate and plan campaign file " + fileName)
                .build());
    PreparedCampaign prepared = preparation.prepare(campaignYaml, fileName);
    return start(prepared);
  }

  /** Starts a campaign prepared by {@link CampaignPreparation}; returns once it has started. */
  public static LlemCampaignChild start(PreparedCampaign prepared) {
    CampaignWorkflow child =
        Workflow.newChildWorkflowStub(
            CampaignWorkflow.class,
            ChildWorkflowOptions.newBuilder()
                .setWorkflowId(prepared.workflowId())
                .setTaskQueue(TaskQueues.CAMPAIGNS)
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                // The first task of a large campaign unpacks and indexes it (see the CLI's start).
                .setWorkflowTaskTimeout(Duration.ofMinutes(1))
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .setMemo(Map.of(CampaignMemo.PLAN_HASH, prepared.planHash()))
                .setStaticSummary(prepared.summary())
                .setTypedSearchAttributes(
                    SearchAttributes.newBuilder()
                        .set(LlemSearchAttributes.CAMPAIGN, prepared.campaign())
                        .set(LlemSearchAttributes.STATUS, CampaignStatus.RUNNING.label())
                        .set(LlemSearchAttributes.PLANNED, prepared.plannedRuns())
                        .build())
                .build());
    Promise<CampaignProgress> result = Async.function(child::run, prepared.input());
    WorkflowExecution started = Workflow.getWorkflowExecution(child).get();
    return new LlemCampaignChild(
        prepared.campaign(), started.getWorkflowId(), prepared.plannedRuns(), result);
  }
}
