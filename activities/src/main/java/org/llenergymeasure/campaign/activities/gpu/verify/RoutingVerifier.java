package org.llenergymeasure.campaign.activities.gpu.verify;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.RoutedDevice;

/**
 * Compares what a run sees with its routing (gpu-routing.md "Verification"). Pure: the caller runs
 * the probes and passes their raw output.
 *
 * <p>The device view proves isolation (which GPUs the runtime exposed; nvidia-smi ignores
 * CUDA_VISIBLE_DEVICES); the CUDA view proves what the run will compute on, in which order, and
 * catches host indices copied into CUDA_VISIBLE_DEVICES. A container run needs the device view; a
 * local process has only the CUDA view (nvidia-smi on the host sees every GPU).
 */
public final class RoutingVerifier {

  private RoutingVerifier() {}

  /**
   * Compares what the probes saw inside the run with {@code routing}.
   *
   * @param deviceViewOutput nvidia-smi -L (or the experiment's probe) inside the run, or null
   * @param cudaViewOutput the CUDA view's output, or null when the image cannot run it
   * @throws ProbeOutputException when an output cannot be read
   */
  public static Verification verify(
      GpuRouting routing, String deviceViewOutput, String cudaViewOutput) {
    boolean process = routing.attach() == AttachMode.PROCESS;
    List<String> device =
        process || deviceViewOutput == null ? null : DeviceViewParser.parse(deviceViewOutput);
    CudaView cuda = cudaViewOutput == null ? null : CudaViewParser.parse(cudaViewOutput);
    List<String> cudaUuids = cuda == null ? null : cuda.uuids();
    Labels labels = new Labels(routing);
    String expected = labels.expected();

    if (routing.expectedDeviceCount() == 0 && device == null && cuda == null) {
      return new Verification(
          true,
          null,
          null,
          "gpus: none: no GPU expected and no probe run (the caller checks that no"
              + " /dev/nvidia[0-9]* device exists)");
    }
    if (process && cuda == null) {
      return new Verification(
          false,
          null,
          null,
          expected + "; but a local process is checked by the CUDA view and it gave no output");
    }
    if (!process && device == null && routing.expectedDeviceCount() > 0) {
      return new Verification(
          false,
          null,
          cudaUuids,
          expected
              + "; but the device view (nvidia-smi -L) gave no output, so isolation is unproven");
    }

    List<String> problems = new ArrayList<>();
    if (device != null && !sameSet(device, routing.expectedUuids())) {
      problems.add(deviceProblem(device, routing.expectedUuids(), labels));
    }
    if (cuda != null && !sameOrder(cuda.uuids(), routing.expectedUuids())) {
      problems.add(cudaProblem(cuda, routing.expectedUuids(), labels));
    }
    if (problems.isEmpty()) {
      String checked =
          (device != null ? "the device view" : "")
              + (device != null && cuda != null ? " and " : "")
              + (cuda != null ? "the CUDA view" : "");
      String unchecked = !process && cuda == null ? "; the CUDA view was not run" : "";
      return new Verification(true, device, cudaUuids, checked + " match: " + expected + unchecked);
    }
    return new Verification(
        false, device, cudaUuids, expected + "; " + String.join("; ", problems));
  }

  private static String deviceProblem(List<String> seen, List<String> expected, Labels labels) {
    String what = "the device view (nvidia-smi -L) showed " + labels.seen(seen);
    Set<String> extra = minus(seen, expected);
    if (!extra.isEmpty()) {
      return what
          + ": the runtime exposed GPUs that were not routed (a privileged container, or a runtime"
          + " that ignores the DeviceRequest and reads the image's NVIDIA_VISIBLE_DEVICES=all?)";
    }
    if (seen.size() != new HashSet<>(lower(seen)).size()) {
      return what + ": a device listed twice";
    }
    return what
        + ": the runtime did not expose every routed GPU (NVIDIA_VISIBLE_DEVICES or the"
        + " DeviceRequest lost some?)";
  }

  private static String cudaProblem(CudaView cuda, List<String> expected, Labels labels) {
    List<String> seen = cuda.uuids();
    if (cuda.cuInit() != 0) {
      String why =
          switch (cuda.cuInit()) {
            case 100 ->
                "no device: CUDA_VISIBLE_DEVICES empty, all/none, or naming no visible GPU?";
            case 101 -> "invalid device: a duplicate entry in CUDA_VISIBLE_DEVICES?";
            default -> "see the CUDA driver API's CUresult list";
          };
      return "CUDA saw nothing (cuInit returned " + cuda.cuInit() + ", " + why + ")";
    }
    String what = "CUDA saw " + labels.seen(seen);
    if (!minus(seen, expected).isEmpty()) {
      return what
          + ": CUDA uses GPUs that were not routed (the run overrides CUDA_VISIBLE_DEVICES,"
          + " or the container exposes more GPUs than routed?)";
    }
    if (sameSet(seen, expected)) {
      return what
          + " in that order: CUDA enumerates in another order (CUDA_DEVICE_ORDER is not"
          + " PCI_BUS_ID, or the run reorders CUDA_VISIBLE_DEVICES?)";
    }
    return what
        + (seen.size() < expected.size() ? " only" : "")
        + ": CUDA_VISIBLE_DEVICES inside the run selects host indices? (CUDA stops at the first"
        + " entry it cannot match)";
  }

  private static boolean sameSet(List<String> seen, List<String> expected) {
    return seen.size() == expected.size()
        && new HashSet<>(lower(seen)).equals(new HashSet<>(lower(expected)))
        && new HashSet<>(lower(seen)).size() == seen.size();
  }

  private static boolean sameOrder(List<String> seen, List<String> expected) {
    return lower(seen).equals(lower(expected));
  }

  private static Set<String> minus(List<String> a, List<String> b) {
    Set<String> rest = new HashSet<>(lower(a));
    rest.removeAll(lower(b));
    return rest;
  }

  /** CUDA prints UUIDs in lower case; nvidia-smi does too, but a probe might not. */
  private static List<String> lower(List<String> uuids) {
    return uuids.stream().map(u -> u.toLowerCase(Locale.ROOT)).toList();
  }

  /** Short, readable names for UUIDs: "GPU-1b2c3d4e… (host GPU 1)". */
  private static final class Labels {
    private final GpuRouting routing;

    Labels(GpuRouting routing) {
      this.routing = routing;
    }

    String expected() {
      if (routing.expectedUuids().isEmpty()) {
        return "expected no GPU";
      }
      String list =
          routing.expectedUuids().stream().map(this::label).collect(Collectors.joining(", "));
      return "expected " + list + (routing.expectedUuids().size() > 1 ? " in that order" : "");
    }

    String seen(List<String> uuids) {
      return uuids.isEmpty()
          ? "nothing"
          : uuids.stream().map(this::label).collect(Collectors.joining(", "));
    }

    private String label(String uuid) {
      String shortUuid = shorten(uuid);
      return routing.devices().stream()
          .filter(d -> d.uuid().equalsIgnoreCase(uuid))
          .findFirst()
          .map(d -> shortUuid + " (host " + where(d) + ")")
          .orElse(shortUuid);
    }

    private static String where(RoutedDevice d) {
      return d.migIndex() == null ? "GPU " + d.index() : "MIG " + d.index() + ":" + d.migIndex();
    }

    /** GPU-1b2c3d4e-2222-... → GPU-1b2c3d4e…; anything unusual stays whole. */
    private static String shorten(String uuid) {
      int dash = uuid.indexOf('-', 4);
      return dash > 4 ? uuid.substring(0, dash) + "…" : uuid;
    }
  }
}
