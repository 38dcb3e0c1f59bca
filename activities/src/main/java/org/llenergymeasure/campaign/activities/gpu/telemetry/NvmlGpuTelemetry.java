package org.llenergymeasure.campaign.activities.gpu.telemetry;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** Placeholder until the JNA binding lands (being written): reports NVML as unavailable. */
public final class NvmlGpuTelemetry implements GpuTelemetry {

  public static GpuTelemetry tryOpen() {
    return new NoGpuTelemetry("NVML binding not built yet");
  }

  private NvmlGpuTelemetry() {}

  @Override
  public Optional<String> unavailableReason() {
    return Optional.of("not built");
  }

  @Override
  public Map<String, GpuSample> sample(Collection<String> uuids) {
    return Map.of();
  }

  @Override
  public Map<String, GpuSample> sampleAll() {
    return Map.of();
  }

  @Override
  public void close() {}
}
