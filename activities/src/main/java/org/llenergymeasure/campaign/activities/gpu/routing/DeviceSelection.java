package org.llenergymeasure.campaign.activities.gpu.routing;

import static org.llenergymeasure.campaign.workflows.FailureTypes.GPU_BUSY;
import static org.llenergymeasure.campaign.workflows.FailureTypes.INVALID_GPU_SELECTION;
import static org.llenergymeasure.campaign.workflows.FailureTypes.MIG_SELECTION;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.gpu.inventory.GpuDevice;
import org.llenergymeasure.campaign.activities.gpu.inventory.HostInventory;
import org.llenergymeasure.campaign.activities.gpu.inventory.PciBusIds;
import org.llenergymeasure.campaign.config.BusyPolicy;
import org.llenergymeasure.campaign.config.GpuModelGlob;
import org.llenergymeasure.campaign.config.GpuRequest;

/** Which host devices a {@link GpuRequest} names, in PCI bus order. */
final class DeviceSelection {

  private static final Comparator<SelectedDevice> PCI_ORDER =
      Comparator.comparing((SelectedDevice d) -> d.gpu().pciBusId(), PciBusIds.ORDER)
          .thenComparing(d -> d.isMig() ? d.mig().index() : -1);

  private DeviceSelection() {}

  /**
   * @param unavailable UUIDs that {@code count: N} must not pick (leased by other runs)
   */
  static List<SelectedDevice> select(
      HostInventory host, GpuRequest request, BusyPolicy busy, Set<String> unavailable) {
    return switch (request.kind()) {
      case NONE -> List.of();
      case ALL -> all(host);
      case LIST -> list(host, request.selectors());
      case COUNT -> count(host, request.count(), request.model(), busy, unavailable);
    };
  }

  private static List<SelectedDevice> list(HostInventory host, List<String> selectors) {
    if (selectors.isEmpty()) {
      throw new RunFailureException(
          INVALID_GPU_SELECTION,
          "the GPU list is empty; write gpus: none for a run without GPUs",
          false);
    }
    SelectorResolver resolver = new SelectorResolver(host);
    Map<String, SelectedDevice> byUuid = new HashMap<>();
    for (String selector : selectors) {
      SelectedDevice device = resolver.resolve(selector);
      SelectedDevice earlier = byUuid.putIfAbsent(device.uuid(), device);
      if (earlier != null) {
        throw new RunFailureException(
            INVALID_GPU_SELECTION,
            "duplicate GPU: "
                + device.describe()
                + (earlier.asWritten().equals(device.asWritten())
                    ? " is listed twice"
                    : " is selected twice (as \""
                        + earlier.asWritten()
                        + "\" and \""
                        + device.asWritten()
                        + "\")")
                + "; list each GPU once",
            false);
      }
    }
    List<SelectedDevice> devices = byUuid.values().stream().sorted(PCI_ORDER).toList();
    checkMig(devices);
    return devices;
  }

  /** CUDA enumerates at most one MIG instance per process, and never next to a full GPU. */
  private static void checkMig(List<SelectedDevice> devices) {
    List<SelectedDevice> migs = devices.stream().filter(SelectedDevice::isMig).toList();
    if (migs.isEmpty()) {
      return;
    }
    if (migs.size() < devices.size()) {
      SelectedDevice full = devices.stream().filter(d -> !d.isMig()).findFirst().orElseThrow();
      throw new RunFailureException(
          MIG_SELECTION,
          "cannot mix MIG instances and full GPUs: "
              + describeWritten(migs.get(0))
              + " is a MIG instance, "
              + describeWritten(full)
              + " is a full GPU; a CUDA process uses either one MIG instance or full GPUs",
          false);
    }
    if (migs.size() > 1) {
      throw new RunFailureException(
          MIG_SELECTION,
          "one MIG instance per CUDA process: "
              + migs.stream()
                  .map(DeviceSelection::describeWritten)
                  .collect(Collectors.joining(", "))
              + " are "
              + migs.size()
              + " MIG instances; CUDA enumerates only one, so select one",
          false);
    }
  }

  private static String describeWritten(SelectedDevice d) {
    return d.asWritten().equalsIgnoreCase(d.uuid())
        ? d.describe()
        : "\"" + d.asWritten() + "\" = " + d.describe();
  }

  private static List<SelectedDevice> all(HostInventory host) {
    List<GpuDevice> mig = host.gpus().stream().filter(GpuDevice::migEnabled).toList();
    if (!mig.isEmpty()) {
      throw new RunFailureException(
          MIG_SELECTION,
          "gpus: all on host "
              + host.hostId()
              + ", but GPU "
              + mig.stream().map(g -> String.valueOf(g.index())).collect(Collectors.joining(", "))
              + " is in MIG mode; list the full GPUs you want, or one MIG instance (<gpu>:<mig>)",
          false);
    }
    return host.gpus().stream()
        .map(g -> new SelectedDevice(g, null, String.valueOf(g.index())))
        .toList();
  }

  /**
   * N idle full GPUs (whose names match {@code model}, when given), the first in PCI order.
   * Docker's own {@code Count: N} would mean GPUs 0..N-1 whether busy or not, which is why we
   * choose them ourselves. A host with fewer matching GPUs than N, busy or not, can never route the
   * request: InvalidGpuSelection (a run placed from the registry then tries its next candidate
   * host).
   */
  private static List<SelectedDevice> count(
      HostInventory host, int n, String model, BusyPolicy busy, Set<String> unavailable) {
    List<GpuDevice> full =
        host.gpus().stream()
            .filter(g -> !g.migEnabled())
            .filter(g -> model == null || GpuModelGlob.matches(model, g.name()))
            .toList();
    if (n < 1) {
      throw new RunFailureException(
          INVALID_GPU_SELECTION,
          "count: " + n + " asks for no GPU; write gpus: none instead",
          false);
    }
    if (n > full.size() && model != null) {
      throw new RunFailureException(
          INVALID_GPU_SELECTION,
          "count: "
              + n
              + " of model "
              + model
              + " asks for more GPUs than host "
              + host.hostId()
              + " has: "
              + full.size()
              + " full GPU"
              + (full.size() == 1 ? "" : "s")
              + " matching "
              + model
              + " (its GPUs: "
              + String.join(", ", host.gpus().stream().map(GpuDevice::name).distinct().toList())
              + ")",
          false);
    }
    if (n > full.size()) {
      throw new RunFailureException(
          INVALID_GPU_SELECTION,
          "count: "
              + n
              + " asks for more GPUs than host "
              + host.hostId()
              + " has: "
              + full.size()
              + " full (non-MIG) GPU"
              + (full.size() == 1 ? "" : "s"),
          false);
    }
    List<GpuDevice> idle =
        full.stream()
            .filter(g -> host.processesOn(g).isEmpty() && !unavailable.contains(g.uuid()))
            .toList();
    if (idle.size() < n) {
      boolean wait = busy == BusyPolicy.WAIT;
      throw new RunFailureException(
          GPU_BUSY,
          "count: "
              + n
              + " needs "
              + n
              + " idle GPUs"
              + (model == null ? "" : " matching " + model)
              + " but host "
              + host.hostId()
              + " has "
              + idle.size()
              + " ("
              + BusyCheck.describeBusy(host, full, unavailable)
              + ")"
              + (wait
                  ? "; waiting for GPUs to become idle (busy: wait)"
                  : "; busy: " + busy.yamlName()),
          wait);
    }
    return idle.subList(0, n).stream().map(g -> new SelectedDevice(g, null, "")).toList();
  }
}
