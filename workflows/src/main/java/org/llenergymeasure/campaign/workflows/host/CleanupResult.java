package org.llenergymeasure.campaign.workflows.host;

import java.util.List;

/**
 * What cleanup found after the run's container (or process) was gone and before its GPU lease was
 * released.
 *
 * @param quarantined the run's GPUs that were not clean and are now quarantined; empty = clean
 */
public record CleanupResult(List<QuarantinedGpu> quarantined) {

  public CleanupResult {
    quarantined = quarantined == null ? List.of() : List.copyOf(quarantined);
  }

  public static CleanupResult clean() {
    return new CleanupResult(List.of());
  }
}
