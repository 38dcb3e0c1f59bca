package org.llenergymeasure.campaign.activities.gpu.inventory;

import java.util.List;

/** A GPU line of {@code nvidia-smi -L} with the MIG lines indented under it. */
public record ListedGpu(int index, String name, String uuid, List<MigDevice> migDevices) {

  public ListedGpu {
    migDevices = List.copyOf(migDevices);
  }
}
