package com.example.ownworker;

import io.temporal.activity.ActivityInterface;

/** The team's own activities, on the team's own task queue. */
@ActivityInterface
public interface NightlyActivities {

  /** The campaign file's text. */
  String readCampaignFile(String path);

  /** What the team does with a finished campaign: here, a line in a notes file. */
  void recordOutcome(String line);
}
