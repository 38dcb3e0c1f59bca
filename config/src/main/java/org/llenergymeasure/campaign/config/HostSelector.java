package org.llenergymeasure.campaign.config;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One selector of {@code hosts:}: a registered host matches when one of its GPUs matches every key
 * given.
 *
 * @param gpuModel a {@link GpuModelGlob} against the GPU's name, or null for any model
 * @param minMemoryGiB the least total memory of that GPU in GiB, or null for any
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HostSelector(String gpuModel, Integer minMemoryGiB) {

  /** Whether a GPU of this name and memory (null when unknown) matches every key given. */
  public boolean matchesGpu(String name, Double memoryGiB) {
    return (gpuModel == null || GpuModelGlob.matches(gpuModel, name))
        && (minMemoryGiB == null || (memoryGiB != null && memoryGiB >= minMemoryGiB - 0.5));
  }

  /** As a user would write it: {@code {gpuModel: "*H100*", minMemoryGiB: 70}}. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("{");
    if (gpuModel != null) {
      b.append("gpuModel: \"").append(gpuModel).append('"');
    }
    if (minMemoryGiB != null) {
      b.append(gpuModel == null ? "" : ", ").append("minMemoryGiB: ").append(minMemoryGiB);
    }
    return b.append('}').toString();
  }
}
