package org.llenergymeasure.campaign.workflows.host;

import java.util.List;

/**
 * A passed verification (a mismatch is thrown as GpuRoutingMismatch).
 *
 * @param deviceViewUuids what the device view (nvidia-smi -L or the experiment's probe) listed;
 *     null in process mode or when skipped for gpus: none
 * @param cudaViewUuids what CUDA enumerated, in order; null when the image cannot run the CUDA view
 * @param notes what was checked and what could not be, for the run's record
 */
public record VerifyResult(List<String> deviceViewUuids, List<String> cudaViewUuids, String notes) {

  /** The UUIDs the run was proven to see (CUDA's view when there is one). */
  public List<String> verifiedUuids() {
    return cudaViewUuids != null
        ? cudaViewUuids
        : deviceViewUuids == null ? List.of() : deviceViewUuids;
  }
}
