package org.llenergymeasure.campaign.activities.gpu.routing;

import static org.llenergymeasure.campaign.workflows.FailureTypes.GPU_BUSY;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.gpu.inventory.GpuDevice;
import org.llenergymeasure.campaign.activities.gpu.inventory.GpuProcess;
import org.llenergymeasure.campaign.activities.gpu.inventory.HostInventory;
import org.llenergymeasure.campaign.config.BusyPolicy;

/**
 * Applies the busy policy to the selected devices. A process anywhere on a physical GPU counts for
 * all its MIG instances too: nvidia-smi cannot always say which instance a process uses, and the
 * energy counter we measure with is per physical GPU anyway.
 */
final class BusyCheck {

  private BusyCheck() {}

  static void check(HostInventory host, List<SelectedDevice> devices, BusyPolicy policy) {
    if (policy == BusyPolicy.IGNORE) {
      return;
    }
    List<String> busy = new ArrayList<>();
    for (SelectedDevice d : devices) {
      List<GpuProcess> processes = host.processesOn(d.gpu());
      if (!processes.isEmpty()) {
        busy.add(label(d) + " busy (" + describe(processes) + ")");
      }
    }
    if (busy.isEmpty()) {
      return;
    }
    boolean wait = policy == BusyPolicy.WAIT;
    String what = String.join(", ", busy) + " on host " + host.hostId();
    throw new RunFailureException(
        GPU_BUSY,
        wait
            ? what + "; waiting for it to become idle (busy: wait)"
            : what + "; free it, select another GPU, or set busy: wait or busy: ignore",
        wait);
  }

  private static String label(SelectedDevice d) {
    return d.isMig()
        ? "GPU "
            + d.gpu().index()
            + " (parent of MIG "
            + d.gpu().index()
            + ":"
            + d.mig().index()
            + ")"
        : "GPU " + d.gpu().index();
  }

  static String describe(List<GpuProcess> processes) {
    return processes.stream()
        .map(
            p ->
                "pid "
                    + p.pid()
                    + ", "
                    + (p.usedMemoryMiB() == null ? "memory unknown" : p.usedMemoryMiB() + " MiB"))
        .collect(Collectors.joining("; "));
  }

  /** "GPU 0 busy: pid 48211, 2566 MiB; GPU 3 leased by another run", for count: N. */
  static String describeBusy(HostInventory host, List<GpuDevice> gpus, Set<String> unavailable) {
    List<String> parts = new ArrayList<>();
    for (GpuDevice g : gpus) {
      List<GpuProcess> processes = host.processesOn(g);
      if (!processes.isEmpty()) {
        parts.add("GPU " + g.index() + " busy: " + describe(processes));
      } else if (unavailable.contains(g.uuid())) {
        parts.add("GPU " + g.index() + " leased by another run");
      }
    }
    return String.join("; ", parts);
  }
}
