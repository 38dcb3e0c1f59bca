package org.llenergymeasure.campaign.workflows.run;

import java.util.List;

/**
 * What a run's child workflow tells its campaign once routed: where the attempt runs and on which
 * GPUs, so {@code progress} can show it without asking the child.
 *
 * @param gpus the host GPU labels ("2", "3:1" for a MIG instance)
 */
public record RunRouted(
    String runId, int attempt, String host, List<String> gpus, List<String> uuids) {

  public RunRouted {
    gpus = gpus == null ? List.of() : List.copyOf(gpus);
    uuids = uuids == null ? List.of() : List.copyOf(uuids);
  }
}
