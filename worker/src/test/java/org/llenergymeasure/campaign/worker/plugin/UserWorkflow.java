package org.llenergymeasure.campaign.worker.plugin;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import org.llenergymeasure.campaign.plugin.LlemCampaignChild;
import org.llenergymeasure.campaign.plugin.LlemCampaigns;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;

/**
 * A user's own workflow on their own queue: it calls their own activity, whose type ("Launch") is
 * also the name of one of our host steps, then starts a campaign as a child and waits for it.
 */
@WorkflowInterface
public interface UserWorkflow {

  String QUEUE = "user-queue";

  @WorkflowMethod
  String run(String campaignYaml);

  /** The user's activity, named like one of ours; it fails, so our failure logging would show. */
  @ActivityInterface
  interface UserActivities {
    @ActivityMethod(name = "Launch")
    String launch(String what);
  }

  final class UserActivitiesImpl implements UserActivities {
    @Override
    public String launch(String what) {
      throw ApplicationFailure.newNonRetryableFailure(
          "user launch of " + what + " refused", "Nope");
    }
  }

  final class Impl implements UserWorkflow {
    @Override
    public String run(String campaignYaml) {
      UserActivities mine =
          Workflow.newActivityStub(
              UserActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofSeconds(30))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build());
      String own;
      try {
        own = mine.launch("rocket");
      } catch (ActivityFailure e) {
        own = "own launch failed";
      }
      LlemCampaignChild child = LlemCampaigns.start(campaignYaml, "user.yaml");
      CampaignProgress done = child.result().get();
      return own
          + "; "
          + child.workflowId()
          + " "
          + done.state().label()
          + ": "
          + done.completed()
          + " of "
          + done.planned();
    }
  }
}
