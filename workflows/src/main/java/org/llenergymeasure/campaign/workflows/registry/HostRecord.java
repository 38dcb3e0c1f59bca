package org.llenergymeasure.campaign.workflows.registry;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A host as the registry knows it: what its worker last reported, and the registry's own marks.
 *
 * @param hostId the worker's host id (its activities' queue is {@code llem-host-<hostId>})
 * @param gpus every GPU of the host's inventory
 * @param driver the NVIDIA driver version, or null where there is none (simulated inventories)
 * @param workerVersion the llem-campaign version of the worker
 * @param leasedUuids GPUs a run holds now
 * @param quarantinedUuids GPUs taken out of service on that host
 * @param registeredAtMs when this host first registered (the registry workflow's clock)
 * @param lastSeenMs when its worker last reported (the registry workflow's clock)
 * @param draining whether {@code drain HOST} is in force
 */
public record HostRecord(
    String hostId,
    List<RegisteredGpu> gpus,
    String driver,
    String workerVersion,
    List<String> leasedUuids,
    List<String> quarantinedUuids,
    long registeredAtMs,
    long lastSeenMs,
    boolean draining) {

  public HostRecord {
    gpus = gpus == null ? List.of() : List.copyOf(gpus);
    leasedUuids = leasedUuids == null ? List.of() : List.copyOf(leasedUuids);
    quarantinedUuids = quarantinedUuids == null ? List.of() : List.copyOf(quarantinedUuids);
  }

  /** GPUs neither leased nor quarantined, in index order. */
  public List<RegisteredGpu> freeGpus() {
    Set<String> taken = new HashSet<>(leasedUuids);
    taken.addAll(quarantinedUuids);
    return gpus.stream().filter(g -> !taken.contains(g.uuid())).toList();
  }

  /** This host's state at {@code nowMs}: stale wins over draining (a silent host tells nothing). */
  public HostState state(long nowMs) {
    if (nowMs - lastSeenMs > HostState.STALE_AFTER.toMillis()) {
      return HostState.STALE;
    }
    if (draining) {
      return leasedUuids.isEmpty() ? HostState.DRAINED : HostState.DRAINING;
    }
    return HostState.UP;
  }
}
