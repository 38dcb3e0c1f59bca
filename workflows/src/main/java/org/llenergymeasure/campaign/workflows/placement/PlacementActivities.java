package org.llenergymeasure.campaign.workflows.placement;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Reads the host registry and applies {@link PlacementRule}: a local activity of the worker that
 * polls the shared {@code llem-campaigns} queue (every worker registers it beside the workflows),
 * so the run's choice is recorded in its history and replayed from it.
 */
@ActivityInterface
public interface PlacementActivities {

  @ActivityMethod(name = "PlaceRun")
  Placement place(PlacementRequest request);
}
