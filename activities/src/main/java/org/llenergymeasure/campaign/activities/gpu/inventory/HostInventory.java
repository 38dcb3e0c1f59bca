package org.llenergymeasure.campaign.activities.gpu.inventory;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a GPU host has: its GPUs in PCI bus order and the compute processes running on them.
 *
 * @param hostId the host id (names the worker's task queue and appears in error messages)
 * @param gpus sorted by PCI bus id, whatever order they were given in
 * @param processes compute processes; empty when the host is idle
 * @param simulated true when read from captured files ({@code --inventory DIR}), not nvidia-smi
 */
public record HostInventory(
    String hostId, List<GpuDevice> gpus, List<GpuProcess> processes, boolean simulated) {

  public HostInventory {
    gpus =
        gpus.stream().sorted(Comparator.comparing(GpuDevice::pciBusId, PciBusIds.ORDER)).toList();
    processes = processes == null ? List.of() : List.copyOf(processes);
  }

  public Optional<GpuDevice> byIndex(int index) {
    return gpus.stream().filter(g -> g.index() == index).findFirst();
  }

  /** The processes on a GPU or any of its MIG instances. */
  public List<GpuProcess> processesOn(GpuDevice gpu) {
    return processes.stream()
        .filter(
            p ->
                p.gpuUuid().equalsIgnoreCase(gpu.uuid())
                    || gpu.migDevices().stream()
                        .anyMatch(m -> m.uuid().equalsIgnoreCase(p.gpuUuid())))
        .toList();
  }

  /** "0-3", "0" or "0, 2, 5": the host's GPU indices, for error messages. */
  public String describeIndices() {
    List<Integer> indices = gpus.stream().map(GpuDevice::index).sorted().toList();
    if (indices.isEmpty()) {
      return "none";
    }
    int first = indices.get(0);
    int last = indices.get(indices.size() - 1);
    if (indices.size() > 1 && last - first == indices.size() - 1) {
      return first + "-" + last;
    }
    return indices.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }
}
