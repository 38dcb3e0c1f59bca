package org.llenergymeasure.campaign.worker.cli;

import org.llenergymeasure.campaign.activities.gpu.inventory.HostInventory;
import picocli.CommandLine.Option;

/** How `gpus` and `route` read this host: its id and (for tests) which nvidia-smi to run. */
final class HostReadOptions {

  @Option(
      names = "--host-id",
      paramLabel = "ID",
      description = "This GPU host's id (default: the short host name).")
  String hostId;

  @Option(
      names = "--nvidia-smi",
      paramLabel = "PATH",
      hidden = true,
      description = "The nvidia-smi to run (default: nvidia-smi on the PATH).")
  String nvidiaSmi = "nvidia-smi";

  /** The captured inventory of --inventory, else this host's through nvidia-smi. */
  HostInventory read(CommonOptions common) {
    return GpuHostReader.read(HostIds.resolve(hostId), common.inventoryDir(), nvidiaSmi);
  }
}
