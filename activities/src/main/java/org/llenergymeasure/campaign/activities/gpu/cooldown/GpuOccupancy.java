package org.llenergymeasure.campaign.activities.gpu.cooldown;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.llenergymeasure.campaign.activities.gpu.inventory.GpuDevice;
import org.llenergymeasure.campaign.activities.gpu.inventory.HostInventory;
import org.llenergymeasure.campaign.activities.gpu.inventory.InventorySource;

/**
 * Which of some GPUs a compute process holds now. A held GPU cannot fall back to idle power (a CUDA
 * context alone draws more), so the cooldown's power condition skips it.
 */
@FunctionalInterface
public interface GpuOccupancy {

  /** Empty when it cannot be told now; then the power condition is skipped for every GPU. */
  Optional<Set<String>> occupied(Collection<String> uuids);

  /** Nobody can tell (a host without an inventory in tests). */
  static GpuOccupancy unknown() {
    return uuids -> Optional.empty();
  }

  /** From the host inventory's compute processes (nvidia-smi, or a simulated compute-apps.csv). */
  static GpuOccupancy of(InventorySource inventory) {
    return uuids -> {
      HostInventory host;
      try {
        host = inventory.read();
      } catch (RuntimeException e) {
        return Optional.empty();
      }
      Set<String> held = new LinkedHashSet<>();
      for (String uuid : uuids) {
        for (GpuDevice g : host.gpus()) {
          boolean match =
              g.uuid().equalsIgnoreCase(uuid)
                  || g.migDevices().stream().anyMatch(m -> m.uuid().equalsIgnoreCase(uuid));
          if (match && !host.processesOn(g).isEmpty()) {
            held.add(uuid);
          }
        }
      }
      return Optional.of(held);
    };
  }
}
