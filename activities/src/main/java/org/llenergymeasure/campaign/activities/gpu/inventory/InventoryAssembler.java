package org.llenergymeasure.campaign.activities.gpu.inventory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges the three nvidia-smi outputs into one {@link HostInventory}: the query for the GPUs, the
 * list for their MIG instances, and the compute processes. The two GPU listings must agree; when
 * they do not (a hand-edited inventory, a GPU that fell off the bus between the calls) we refuse
 * rather than route on a guess.
 */
public final class InventoryAssembler {

  private InventoryAssembler() {}

  /**
   * Builds the host's inventory from the nvidia-smi outputs.
   *
   * @param queryGpu the output of the --query-gpu command
   * @param smiList the output of nvidia-smi -L
   * @param computeApps the output of --query-compute-apps, or null/empty for an idle host
   * @throws InventoryParseException for an unparsable line
   * @throws InventoryException when the outputs contradict each other
   */
  public static HostInventory assemble(
      String hostId, String queryGpu, String smiList, String computeApps, boolean simulated) {
    List<GpuDevice> queried = QueryGpuParser.parse(queryGpu);
    List<ListedGpu> listed = SmiListParser.parse(smiList);
    List<GpuProcess> processes = ComputeAppsParser.parse(computeApps);
    return new HostInventory(hostId, merge(queried, listed), processes, simulated);
  }

  static List<GpuDevice> merge(List<GpuDevice> queried, List<ListedGpu> listed) {
    checkUnique(queried);
    Map<String, ListedGpu> listedByUuid = new HashMap<>();
    for (ListedGpu l : listed) {
      listedByUuid.put(l.uuid(), l);
    }
    List<GpuDevice> merged = new ArrayList<>();
    for (GpuDevice gpu : queried) {
      ListedGpu l = listedByUuid.remove(gpu.uuid());
      if (l == null) {
        throw new InventoryException(
            "GPU "
                + gpu.index()
                + " ("
                + gpu.uuid()
                + ") is in the --query-gpu output but not in nvidia-smi -L");
      }
      if (l.index() != gpu.index()) {
        throw new InventoryException(
            gpu.uuid()
                + " is GPU "
                + gpu.index()
                + " in the --query-gpu output but GPU "
                + l.index()
                + " in nvidia-smi -L");
      }
      if (!l.migDevices().isEmpty() && !gpu.migEnabled()) {
        throw new InventoryException(
            "nvidia-smi -L lists MIG instances under GPU "
                + gpu.index()
                + " but its mig.mode.current is not Enabled");
      }
      merged.add(gpu.withMigDevices(l.migDevices()));
    }
    if (!listedByUuid.isEmpty()) {
      ListedGpu extra = listedByUuid.values().iterator().next();
      throw new InventoryException(
          "GPU "
              + extra.index()
              + " ("
              + extra.uuid()
              + ") is in nvidia-smi -L but not in the --query-gpu output");
    }
    return merged;
  }

  private static void checkUnique(List<GpuDevice> gpus) {
    Set<Integer> indices = new HashSet<>();
    Set<String> uuids = new HashSet<>();
    for (GpuDevice g : gpus) {
      if (!indices.add(g.index())) {
        throw new InventoryException(
            "GPU index " + g.index() + " appears twice in the --query-gpu output");
      }
      if (!uuids.add(g.uuid())) {
        throw new InventoryException(g.uuid() + " appears twice in the --query-gpu output");
      }
    }
  }
}
