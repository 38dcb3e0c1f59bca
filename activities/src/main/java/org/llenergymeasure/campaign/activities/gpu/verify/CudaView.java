package org.llenergymeasure.campaign.activities.gpu.verify;

import java.util.List;

/**
 * What CUDA enumerated inside the run.
 *
 * @param cuInit cuInit's CUresult (0 = success; 100 = no device, 101 = invalid device)
 * @param uuids the devices in CUDA's order; empty when cuInit failed
 */
public record CudaView(int cuInit, List<String> uuids) {

  public CudaView {
    uuids = List.copyOf(uuids);
  }
}
