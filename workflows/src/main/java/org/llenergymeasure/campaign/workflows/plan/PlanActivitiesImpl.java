package org.llenergymeasure.campaign.workflows.plan;

import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.PlanBuilder;

/** Pure computation, no I/O: unpacks, expands and hashes. */
public final class PlanActivitiesImpl implements PlanActivities {

  @Override
  public String planHash(String packedCampaign) {
    Campaign campaign = CampaignPack.unpack(packedCampaign);
    return PlanBuilder.hash(campaign, PlanBuilder.runs(campaign));
  }
}
