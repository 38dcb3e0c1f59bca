package org.llenergymeasure.campaign.plugin;

import org.llenergymeasure.campaign.workflows.campaign.CampaignInput;

/**
 * A campaign ready to start: its workflow id ({@code campaign/<name>}), the input the campaign
 * workflow takes, and what its start shows (plan hash in the memo, a one-line summary).
 */
public record PreparedCampaign(
    String campaign,
    String workflowId,
    long plannedRuns,
    String planHash,
    String summary,
    CampaignInput input) {}
