package org.llenergymeasure.campaign.activities.gpu.verify;

import java.util.List;

/**
 * The outcome of comparing what a run sees with its routing.
 *
 * @param passed true when every view that was checked matches
 * @param deviceView the UUIDs of the device view, or null when it was not checked (process mode, or
 *     no output)
 * @param cudaView the UUIDs CUDA enumerated, in order, or null when not checked
 * @param explanation expected vs seen, in words, for the run's record and a GpuRoutingMismatch
 */
public record Verification(
    boolean passed, List<String> deviceView, List<String> cudaView, String explanation) {

  public Verification {
    deviceView = deviceView == null ? null : List.copyOf(deviceView);
    cudaView = cudaView == null ? null : List.copyOf(cudaView);
  }
}
