package org.llenergymeasure.campaign.activities.gpu.inventory;

import java.util.Comparator;
import java.util.List;

/**
 * One physical GPU of a host.
 *
 * @param index nvidia-smi's index (PCI bus order on every driver we know of)
 * @param uuid the full {@code GPU-...} UUID
 * @param pciBusId as nvidia-smi prints it, e.g. {@code 00000000:18:00.0}
 * @param name the product name
 * @param memoryMiB total memory, or null where nvidia-smi printed {@code [N/A]}
 * @param migEnabled true when the current MIG mode is Enabled
 * @param migDevices its MIG instances (from {@code nvidia-smi -L}) by MIG index; empty unless MIG
 */
public record GpuDevice(
    int index,
    String uuid,
    String pciBusId,
    String name,
    Long memoryMiB,
    boolean migEnabled,
    List<MigDevice> migDevices) {

  public GpuDevice {
    migDevices =
        migDevices == null
            ? List.of()
            : migDevices.stream().sorted(Comparator.comparingInt(MigDevice::index)).toList();
  }

  /** The same GPU with its MIG instances set (the two nvidia-smi outputs are merged later). */
  public GpuDevice withMigDevices(List<MigDevice> devices) {
    return new GpuDevice(index, uuid, pciBusId, name, memoryMiB, migEnabled, devices);
  }
}
