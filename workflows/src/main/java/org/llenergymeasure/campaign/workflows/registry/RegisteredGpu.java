package org.llenergymeasure.campaign.workflows.registry;

import java.util.List;

/**
 * One GPU of a registered host, as its worker's inventory read it.
 *
 * @param uuid the full {@code GPU-...} UUID (placement and leases speak UUIDs, never indices)
 * @param index nvidia-smi's index on that host (display only)
 * @param name the product name as nvidia-smi gives it, e.g. {@code NVIDIA H100 80GB HBM3}
 * @param memoryMiB total memory, or null where the driver does not say
 * @param migUuids the {@code MIG-...} UUIDs of its MIG instances; empty when MIG is off
 */
public record RegisteredGpu(
    String uuid, int index, String name, Long memoryMiB, List<String> migUuids) {

  public RegisteredGpu {
    migUuids = migUuids == null ? List.of() : List.copyOf(migUuids);
  }

  /** Whether MIG is enabled on this GPU (it has instances). */
  public boolean mig() {
    return !migUuids.isEmpty();
  }

  /** Total memory in GiB, or null when unknown. */
  public Double memoryGiB() {
    return memoryMiB == null ? null : memoryMiB / 1024.0;
  }
}
