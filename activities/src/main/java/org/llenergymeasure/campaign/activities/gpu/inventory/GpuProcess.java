package org.llenergymeasure.campaign.activities.gpu.inventory;

/**
 * A compute process on a GPU, as {@code nvidia-smi --query-compute-apps} reports it.
 *
 * @param pid the process id (in the host's pid namespace)
 * @param gpuUuid the UUID of the GPU it runs on
 * @param usedMemoryMiB its GPU memory, or null where nvidia-smi printed {@code [N/A]}
 */
public record GpuProcess(long pid, String gpuUuid, Long usedMemoryMiB) {}
