package org.llenergymeasure.campaign.activities.gpu.cooldown;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads every GPU's temperature and power on this host (the cooldown's and the baseline's eyes).
 */
@FunctionalInterface
public interface GpuSensor {

  /**
   * Reads every GPU of this host once.
   *
   * @return readings by GPU UUID, or empty when this host has no sensor
   * @throws IllegalStateException when the sensor exists but cannot be read now
   */
  Optional<Map<String, GpuReading>> read();

  /** A temperature-only sensor: power is unknown. */
  static GpuSensor of(GpuThermometer thermometer) {
    return () ->
        thermometer
            .read()
            .map(
                temps -> {
                  Map<String, GpuReading> out = new LinkedHashMap<>();
                  temps.forEach((uuid, t) -> out.put(uuid, new GpuReading(t, null)));
                  return out;
                });
  }
}
