package com.example.ownworker;

import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import org.llenergymeasure.campaign.plugin.LlemCampaignChild;
import org.llenergymeasure.campaign.plugin.LlemCampaigns;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;

public final class NightlyBenchmarkImpl implements NightlyBenchmark {

  private final NightlyActivities activities =
      Workflow.newActivityStub(
          NightlyActivities.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());

  @Override
  public String run(String campaignFile) {
    String yaml = activities.readCampaignFile(campaignFile);
    // A child workflow with ParentClosePolicy.ABANDON: a multi-day campaign outlives this run.
    LlemCampaignChild campaign = LlemCampaigns.start(yaml, campaignFile);
    CampaignProgress done = campaign.result().get();
    String outcome =
        "campaign "
            + done.campaign()
            + " "
            + done.state().label()
            + ": "
            + done.completed()
            + " completed, "
            + done.failed()
            + " failed of "
            + done.planned()
            + " runs";
    // Act on it: a clean campaign is published, one with failures is flagged for a look.
    activities.recordOutcome((done.failed() == 0 ? "PUBLISH " : "CHECK ") + outcome);
    return outcome;
  }
}
