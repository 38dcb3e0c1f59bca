package org.llenergymeasure.campaign.activities.gpu.telemetry;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** No host-side readings (CPU host, simulated inventory, NVML missing): says why, invents none. */
public record NoGpuTelemetry(String reason) implements GpuTelemetry {

  @Override
  public Optional<String> unavailableReason() {
    return Optional.of(reason);
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
