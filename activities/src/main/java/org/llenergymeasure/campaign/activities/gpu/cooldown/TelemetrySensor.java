package org.llenergymeasure.campaign.activities.gpu.cooldown;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.llenergymeasure.campaign.activities.gpu.telemetry.GpuSample;
import org.llenergymeasure.campaign.activities.gpu.telemetry.GpuTelemetry;

/** Temperature and power from the host's NVML telemetry; no sensor when NVML is unavailable. */
public final class TelemetrySensor implements GpuSensor {

  private final GpuTelemetry telemetry;

  public TelemetrySensor(GpuTelemetry telemetry) {
    this.telemetry = telemetry;
  }

  @Override
  public Optional<Map<String, GpuReading>> read() {
    if (!telemetry.available()) {
      return Optional.empty();
    }
    Map<String, GpuReading> out = new LinkedHashMap<>();
    for (Map.Entry<String, GpuSample> e : telemetry.sampleAll().entrySet()) {
      out.put(e.getKey(), new GpuReading(e.getValue().temperatureC(), e.getValue().powerWatts()));
    }
    return Optional.of(out);
  }
}
