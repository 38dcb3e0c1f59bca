package org.llenergymeasure.campaign.workflows.placement;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Reads the host registry and applies {@link PlacementRule}: runs on the shared {@code
 * llem-campaigns} queue (any worker), so the run's choice is recorded in its history.
 */
@ActivityInterface
public interface PlacementActivities {

  @ActivityMethod(name = "PlaceRun")
  Placement place(PlacementRequest request);
}
