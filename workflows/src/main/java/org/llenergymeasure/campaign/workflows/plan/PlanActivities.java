package org.llenergymeasure.campaign.workflows.plan;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The campaign workflow's one local activity: the plan hash of its campaign, taken outside the
 * workflow task. Hashing encodes every run's merged experiment (about 70 MB at 100,000 runs), which
 * would hold the workflow thread long enough for the SDK's deadlock detector on a loaded machine.
 * Registered on the campaigns task queue next to the workflows (a local activity runs in the worker
 * that runs the workflow task).
 */
@ActivityInterface
public interface PlanActivities {

  /**
   * The plan hash of the packed campaign, as {@code PlanBuilder.plan(campaign).hash()} gives it.
   *
   * @param packedCampaign {@link CampaignPack#pack}'s form
   */
  @ActivityMethod(name = "PlanHash")
  String planHash(String packedCampaign);
}
