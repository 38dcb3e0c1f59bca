package org.llenergymeasure.campaign.activities.gpu.cooldown;

import java.util.Map;
import java.util.Optional;

/** Reads GPU temperatures of this host. */
public interface GpuThermometer {

  /**
   * Reads the temperature of every GPU of this host once.
   *
   * @return °C by GPU UUID, or empty when this host has no temperature sensor (a simulated host
   *     without {@code temperature.csv}); a GPU whose sensor reads [N/A] is absent from the map
   * @throws IllegalStateException when the sensor exists but cannot be read now
   */
  Optional<Map<String, Integer>> read();
}
