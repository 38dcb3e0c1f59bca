package org.llenergymeasure.campaign.plugin;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Turns a campaign file's text into a campaign workflow's start, as the CLI's {@code run} does:
 * validated, expanded, hashed and packed. A regular activity on {@code llem-campaigns}, registered
 * by {@link LlemCampaignPlugin}; {@link LlemCampaigns#start} calls it, so its result is recorded in
 * the calling workflow's history and the expansion never runs in workflow code.
 */
@ActivityInterface
public interface CampaignPreparation {

  /** The activity type, recognizable among a user's own. */
  String TYPE = "LlemPrepareCampaign";

  /**
   * @param campaignYaml the campaign file's text
   * @param fileName named in validation errors (e.g. {@code nightly.yaml})
   * @throws io.temporal.failure.ApplicationFailure non-retryable, type {@value
   *     #INVALID_CAMPAIGN_FILE}, when the file is not a valid campaign (the message lists the
   *     errors with their lines)
   */
  @ActivityMethod(name = TYPE)
  PreparedCampaign prepare(String campaignYaml, String fileName);

  /** The failure type of a campaign file that does not validate. */
  String INVALID_CAMPAIGN_FILE = "InvalidCampaignFile";
}
