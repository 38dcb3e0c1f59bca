package org.llenergymeasure.campaign.plugin;

import io.temporal.workflow.Promise;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;

/**
 * A campaign started by {@link LlemCampaigns#start} from workflow code: its name, workflow id and
 * planned runs, and the promise of its final progress (state completed or failed, run totals).
 */
public record LlemCampaignChild(
    String campaign, String workflowId, long plannedRuns, Promise<CampaignProgress> result) {}
