package org.llenergymeasure.campaign.workflows.host;

import java.util.Map;
import java.util.TreeMap;

/**
 * The idle state of a host's GPUs at campaign start.
 *
 * @param host the host id
 * @param gpus by UUID; empty when the host has no sensor (then no idle condition applies there)
 * @param note what was measured, or why nothing was ("no sensor", "GPU 2 busy while measured")
 */
public record IdleBaselineResult(String host, Map<String, IdleGpu> gpus, String note) {

  public IdleBaselineResult {
    gpus = gpus == null ? Map.of() : new TreeMap<>(gpus);
  }
}
