package org.llenergymeasure.campaign.workflows.campaign;

import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.unsafe.WorkflowUnsafe;
import java.util.List;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.Plan;
import org.llenergymeasure.campaign.config.PlanBuilder;
import org.llenergymeasure.campaign.config.PlannedRun;
import org.llenergymeasure.campaign.workflows.plan.CampaignPack;
import org.llenergymeasure.campaign.workflows.plan.PlanActivities;

/** The campaign workflow's plan: its runs, and the check of its hash against the client's. */
final class CampaignPlan {

  /** Change id: the plan hash is taken by the {@link PlanActivities} local activity. */
  static final String PLAN_HASH_OUTSIDE = "plan-hash-local-activity";

  private CampaignPlan() {}

  /**
   * The plan of the campaign workflow's input, re-derived from the compact campaign. Its expansion
   * is part of the file format and must not change; the client's hash proves this worker agrees. A
   * worker that disagrees fails its workflow task (retried, visible in the UI) rather than the
   * campaign, so rolling the worker back lets the campaign go on. Since {@link #PLAN_HASH_OUTSIDE},
   * the hash is taken by a local activity (at 100,000 runs it encodes about 70 MB, too long for a
   * workflow task on a loaded machine); the runs alone are cheap to derive here.
   */
  static List<PlannedRun> runs(CampaignInput input, Campaign campaign) {
    int version = Workflow.getVersion(PLAN_HASH_OUTSIDE, Workflow.DEFAULT_VERSION, 1);
    List<PlannedRun> planned;
    String hash;
    if (version == Workflow.DEFAULT_VERSION) {
      Plan plan = PlanBuilder.plan(campaign);
      planned = plan.runs();
      hash = plan.hash();
    } else {
      planned = WorkflowUnsafe.deadlockDetectorOff(() -> PlanBuilder.runs(campaign));
      hash = hash(input, campaign);
    }
    if (!hash.equals(input.planHash())) {
      throw new IllegalStateException(
          "campaign "
              + campaign.name()
              + ": this worker expands the campaign into a different plan (hash "
              + hash
              + ") than the client that started it ("
              + input.planHash()
              + "); run the llem-campaign version that started the campaign");
    }
    return planned;
  }

  /**
   * The local activity gets the packed campaign (its marker in the history records it, so an
   * execution's history holds the packed campaign twice: at most 3 MB of the 50 MB a history may
   * take).
   */
  private static String hash(CampaignInput input, Campaign campaign) {
    String packed =
        input.packedCampaign() != null ? input.packedCampaign() : CampaignPack.pack(campaign);
    try {
      return Workflow.newLocalActivityStub(PlanActivities.class, CampaignActivityOptions.planHash())
          .planHash(packed);
    } catch (ActivityFailure e) {
      // Not the campaign's failure: fail the workflow task, which is retried.
      throw new IllegalStateException(
          "campaign " + campaign.name() + ": the plan hash could not be taken: " + e.getMessage(),
          e);
    }
  }
}
