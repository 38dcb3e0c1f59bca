package org.llenergymeasure.campaign.workflows.registry;

import java.util.List;

/**
 * What a worker tells the registry about its host: at start, on every lease or quarantine change,
 * and as a keep-alive every 30 s.
 *
 * @param hostId the worker's host id
 * @param gpus every GPU of its inventory
 * @param driver the NVIDIA driver version, or null where there is none (simulated inventories)
 * @param workerVersion the llem-campaign version of the worker
 * @param leasedUuids GPUs a run holds now
 * @param quarantinedUuids GPUs taken out of service on that host
 */
public record HostReport(
    String hostId,
    List<RegisteredGpu> gpus,
    String driver,
    String workerVersion,
    List<String> leasedUuids,
    List<String> quarantinedUuids) {

  public HostReport {
    gpus = gpus == null ? List.of() : List.copyOf(gpus);
    leasedUuids = leasedUuids == null ? List.of() : List.copyOf(leasedUuids);
    quarantinedUuids = quarantinedUuids == null ? List.of() : List.copyOf(quarantinedUuids);
  }
}
