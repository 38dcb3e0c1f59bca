package org.llenergymeasure.campaign.worker.campaign;

import java.util.ArrayList;
import java.util.List;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.HostsSpec;
import org.llenergymeasure.campaign.config.PlannedRun;
import org.llenergymeasure.campaign.workflows.placement.Placement;
import org.llenergymeasure.campaign.workflows.placement.PlacementRequest;
import org.llenergymeasure.campaign.workflows.placement.PlacementRule;
import org.llenergymeasure.campaign.workflows.registry.HostRecord;

/**
 * {@code validate --hosts}: the runs placed from the registry that no registered host could ever
 * fit, by the same rule the runs are placed with. An experiment's runs all ask for the same, so
 * each experiment is checked once, named by its first run.
 */
public final class PoolCheck {

  private PoolCheck() {}

  /** One sentence per experiment no registered host could ever fit, naming its first run. */
  public static List<String> problems(Campaign campaign, List<HostRecord> hosts, long nowMs) {
    List<String> out = new ArrayList<>();
    for (Experiment e : campaign.experiments()) {
      HostsSpec spec = campaign.placementFor(e);
      if (spec == null) {
        continue;
      }
      PlacementRequest request =
          new PlacementRequest(PlannedRun.runId(e.name(), 1), spec, e.gpus());
      Placement p = PlacementRule.place(hosts, nowMs, request);
      if (p.never() != null) {
        out.add(p.never());
      }
    }
    return out;
  }

  /** Whether any run of the campaign is placed from the registry. */
  public static boolean usesRegistry(Campaign campaign) {
    return campaign.experiments().stream().anyMatch(e -> campaign.placementFor(e) != null);
  }
}
