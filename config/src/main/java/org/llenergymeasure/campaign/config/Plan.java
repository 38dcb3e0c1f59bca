package org.llenergymeasure.campaign.config;

import java.util.List;

/** The runs of a campaign in execution order and the SHA-256 hash (hex) that identifies them. */
public record Plan(String campaign, String hash, List<PlannedRun> runs) {

  public Plan {
    runs = List.copyOf(runs);
  }
}
