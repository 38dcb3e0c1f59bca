package org.llenergymeasure.campaign.workflows.host;

import java.util.List;

/**
 * A GPU that a run's cleanup found not clean (a process still on it, or its memory not back) and
 * that no new run gets until it is clean again or an operator releases it.
 *
 * @param host the host id
 * @param uuid the GPU (or MIG instance) as it was routed
 * @param holders the processes found on it; empty when only the memory did not come back
 * @param usedMemoryMiB the GPU's used memory when found; null where it cannot be read
 * @param leftBy the run attempt whose cleanup found it, {@code <campaign>/<runId>/a<attempt>}
 * @param since ISO-8601 instant it was quarantined
 * @param reason one line for people: what was found
 */
public record QuarantinedGpu(
    String host,
    String uuid,
    List<GpuHolder> holders,
    Long usedMemoryMiB,
    String leftBy,
    String since,
    String reason) {

  public QuarantinedGpu {
    holders = holders == null ? List.of() : List.copyOf(holders);
  }

  /** The operator command that releases it by hand. */
  public String releaseCommand() {
    return "llem-campaign quarantine release " + uuid;
  }
}
