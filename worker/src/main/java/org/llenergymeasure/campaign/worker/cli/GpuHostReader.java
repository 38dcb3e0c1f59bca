package org.llenergymeasure.campaign.worker.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.llenergymeasure.campaign.activities.gpu.inventory.FileInventorySource;
import org.llenergymeasure.campaign.activities.gpu.inventory.HostInventory;
import org.llenergymeasure.campaign.activities.gpu.inventory.InventoryException;
import org.llenergymeasure.campaign.activities.gpu.inventory.NvidiaSmiInventorySource;
import org.llenergymeasure.campaign.worker.BadInput;
import org.llenergymeasure.campaign.worker.EnvironmentProblem;

/**
 * Reads this host's GPU inventory for {@code gpus} and {@code route}: a captured folder ({@code
 * --inventory}) or nvidia-smi. A broken folder is the user's input (exit 2); a host where
 * nvidia-smi is missing, fails or lists no GPU is an environment problem (exit 3).
 */
final class GpuHostReader {

  private GpuHostReader() {}

  /**
   * @param inventoryDir the --inventory folder, or null for the real host
   * @param nvidiaSmi the nvidia-smi executable to run on a real host
   */
  static HostInventory read(String hostId, Path inventoryDir, String nvidiaSmi) {
    if (inventoryDir != null) {
      if (!Files.isDirectory(inventoryDir)) {
        throw new BadInput(
            "--inventory "
                + inventoryDir
                + " is not a folder; give a folder holding query-gpu.csv and nvidia-smi-L.txt"
                + " (see examples/inventories/)");
      }
      try {
        return new FileInventorySource(inventoryDir, hostId).read();
      } catch (InventoryException e) {
        throw new BadInput("--inventory: " + oneLine(e.getMessage()));
      }
    }
    try {
      return new NvidiaSmiInventorySource(
              hostId, nvidiaSmi, NvidiaSmiInventorySource.DEFAULT_TIMEOUT)
          .read();
    } catch (InventoryException e) {
      String message = oneLine(e.getMessage());
      throw new EnvironmentProblem(
          message
              + (message.contains("--inventory")
                  ? ""
                  : "; on a machine without NVIDIA GPUs, use --inventory DIR with a captured"
                      + " inventory (e.g. examples/inventories/sim-4gpu-idle)"),
          e);
    }
  }

  /** Errors are one line on stderr (cli-contract.md). */
  static String oneLine(String message) {
    return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
