package org.llenergymeasure.campaign.worker.host;

import org.llenergymeasure.campaign.workflows.placement.Placement;
import org.llenergymeasure.campaign.workflows.placement.PlacementActivities;
import org.llenergymeasure.campaign.workflows.placement.PlacementRequest;
import org.llenergymeasure.campaign.workflows.placement.PlacementRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Places a run: reads the registered hosts from any {@link HostDirectory} and applies the rule. */
public final class PlacementActivitiesImpl implements PlacementActivities {

  private static final Logger log = LoggerFactory.getLogger(PlacementActivitiesImpl.class);

  private final HostDirectory directory;

  public PlacementActivitiesImpl(HostDirectory directory) {
    this.directory = directory;
  }

  @Override
  public Placement place(PlacementRequest request) {
    Placement p = PlacementRule.place(directory.hosts(), directory.nowMs(), request);
    log.debug("placement of {}: {}", request.runId(), p);
    return p;
  }
}
