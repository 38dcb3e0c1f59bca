package org.llenergymeasure.campaign.worker.host;

import java.util.List;
import org.llenergymeasure.campaign.workflows.placement.Placement;
import org.llenergymeasure.campaign.workflows.placement.PlacementActivities;
import org.llenergymeasure.campaign.workflows.placement.PlacementRequest;
import org.llenergymeasure.campaign.workflows.placement.PlacementRule;
import org.llenergymeasure.campaign.workflows.registry.HostRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places a run: reads the registered hosts from a {@link HostDirectory} (a worker's {@link
 * RegistryCache}) and applies the rule; the GPUs it counted on the first candidate are held in that
 * view until the host reports its lease.
 */
public final class PlacementActivitiesImpl implements PlacementActivities {

  private static final Logger log = LoggerFactory.getLogger(PlacementActivitiesImpl.class);

  private final HostDirectory directory;

  public PlacementActivitiesImpl(HostDirectory directory) {
    this.directory = directory;
  }

  @Override
  public Placement place(PlacementRequest request) {
    List<HostRecord> hosts = directory.hosts();
    Placement p = PlacementRule.place(hosts, directory.nowMs(), request);
    if (!p.candidates().isEmpty()) {
      String first = p.candidates().get(0);
      hosts.stream()
          .filter(h -> h.hostId().equals(first))
          .findFirst()
          .ifPresent(h -> directory.hold(first, PlacementRule.counted(h, request.gpus())));
    }
    log.debug("placement of {}: {}", request.runId(), p);
    return p;
  }
}
