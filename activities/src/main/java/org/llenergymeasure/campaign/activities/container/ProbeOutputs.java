package org.llenergymeasure.campaign.activities.container;

/**
 * What a held run showed when asked which GPUs it sees; compared with the routing elsewhere.
 *
 * @param deviceView the device view's output (the experiment's probe, else {@code nvidia-smi -L});
 *     null for {@code gpus: none}
 * @param deviceViewExit its exit code; null when not run
 * @param cudaView the CUDA view's output (UUIDs in CUDA's order); null when not run
 * @param cudaViewExit its exit code (127 = no CUDA view in this image); null when not run
 * @param devNodesPresent for {@code gpus: none}: whether any {@code /dev/nvidia<N>} exists (it must
 *     not); false when not checked
 */
public record ProbeOutputs(
    String deviceView,
    Integer deviceViewExit,
    String cudaView,
    Integer cudaViewExit,
    boolean devNodesPresent) {}
