package org.llenergymeasure.campaign.activities.gpu.inventory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A simulated host ({@code --inventory DIR}): the folder holds {@code query-gpu.csv} and {@code
 * nvidia-smi-L.txt} (required) and {@code compute-apps.csv} (optional; absent = idle), each the
 * output of the matching nvidia-smi command.
 */
public final class FileInventorySource implements InventorySource {

  public static final String QUERY_GPU = "query-gpu.csv";
  public static final String SMI_LIST = "nvidia-smi-L.txt";
  public static final String COMPUTE_APPS = "compute-apps.csv";

  private final Path dir;
  private final String hostId;

  public FileInventorySource(Path dir, String hostId) {
    this.dir = dir;
    this.hostId = hostId;
  }

  @Override
  public HostInventory read() {
    if (!Files.isDirectory(dir)) {
      throw new InventoryException(
          "inventory folder "
              + dir.toAbsolutePath()
              + " does not exist or is not a folder;"
              + " --inventory needs a folder with "
              + QUERY_GPU
              + " and "
              + SMI_LIST);
    }
    String queryGpu = required(QUERY_GPU, NvidiaSmiCommands.QUERY_GPU);
    String smiList = required(SMI_LIST, NvidiaSmiCommands.LIST);
    Path apps = dir.resolve(COMPUTE_APPS);
    String computeApps = Files.exists(apps) ? readFile(apps) : "";
    HostInventory inventory;
    try {
      inventory = InventoryAssembler.assemble(hostId, queryGpu, smiList, computeApps, true);
    } catch (InventoryException e) {
      throw new InventoryException(
          "inventory folder " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
    }
    if (inventory.gpus().isEmpty()) {
      throw new InventoryException(
          "inventory folder " + dir.toAbsolutePath() + ": " + QUERY_GPU + " lists no GPU");
    }
    return inventory;
  }

  private String required(String file, java.util.List<String> command) {
    Path path = dir.resolve(file);
    if (!Files.isRegularFile(path)) {
      throw new InventoryException(
          "inventory folder "
              + dir.toAbsolutePath()
              + " has no "
              + file
              + " (the output of `"
              + String.join(" ", command)
              + "`)");
    }
    return readFile(path);
  }

  private static String readFile(Path path) {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InventoryException(
          "cannot read " + path.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }
}
