package org.llenergymeasure.campaign.activities.gpu.routing;

import static org.llenergymeasure.campaign.workflows.FailureTypes.INVALID_GPU_SELECTION;
import static org.llenergymeasure.campaign.workflows.FailureTypes.MIG_SELECTION;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.gpu.inventory.GpuDevice;
import org.llenergymeasure.campaign.activities.gpu.inventory.HostInventory;
import org.llenergymeasure.campaign.activities.gpu.inventory.MigDevice;

/**
 * Turns one selector (index, {@code GPU-} UUID or unique prefix, {@code MIG-} UUID or prefix,
 * {@code <gpu>:<mig>}) into a device of the host. Stricter than CUDA on purpose: CUDA silently
 * stops at the first entry it does not understand, so a typo would quietly run on fewer GPUs.
 */
final class SelectorResolver {

  private static final Pattern INDEX = Pattern.compile("\\d{1,9}");
  private static final Pattern MIG_PAIR = Pattern.compile("(\\d{1,9}):(\\d{1,9})");

  private final HostInventory host;

  SelectorResolver(HostInventory host) {
    this.host = host;
  }

  SelectedDevice resolve(String selector) {
    String s = selector == null ? "" : selector.strip();
    if (INDEX.matcher(s).matches()) {
      return fullGpu(gpuAt(Integer.parseInt(s)), s);
    }
    Matcher pair = MIG_PAIR.matcher(s);
    if (pair.matches()) {
      return migPair(Integer.parseInt(pair.group(1)), Integer.parseInt(pair.group(2)), s);
    }
    String upper = s.toUpperCase(Locale.ROOT);
    if (upper.startsWith("GPU-")) {
      return fullGpu(byGpuUuid(s), s);
    }
    if (upper.startsWith("MIG-")) {
      return byMigUuid(s);
    }
    throw invalid(
        "invalid GPU selector \""
            + s
            + "\" on host "
            + host.hostId()
            + ": use a host index ("
            + host.describeIndices()
            + "), a GPU UUID or a unique prefix of one (GPU-...),"
            + " a MIG UUID (MIG-...) or <gpu>:<mig>");
  }

  private GpuDevice gpuAt(int index) {
    return host.byIndex(index)
        .orElseThrow(
            () -> invalid("GPU " + index + " is out of range: host " + host.hostId() + hasGpus()));
  }

  private String hasGpus() {
    return host.gpus().size() == 1
        ? " has only GPU " + host.gpus().get(0).index()
        : " has GPUs " + host.describeIndices();
  }

  private SelectedDevice fullGpu(GpuDevice gpu, String asWritten) {
    if (gpu.migEnabled()) {
      throw new RunFailureException(MIG_SELECTION, migModeMessage(gpu), false);
    }
    return new SelectedDevice(gpu, null, asWritten);
  }

  private static String migModeMessage(GpuDevice gpu) {
    if (gpu.migDevices().isEmpty()) {
      return "GPU "
          + gpu.index()
          + " is in MIG mode and has no MIG instance: create one"
          + " (nvidia-smi mig -cgi ... -C) or disable MIG mode to use the whole GPU";
    }
    String choices =
        gpu.migDevices().stream()
            .map(m -> gpu.index() + ":" + m.index())
            .collect(Collectors.joining(" or "));
    return "GPU "
        + gpu.index()
        + " is in MIG mode: choose one of its MIG instances, "
        + choices
        + " (or its MIG-... UUID)";
  }

  private SelectedDevice migPair(int gpuIndex, int migIndex, String asWritten) {
    GpuDevice gpu = gpuAt(gpuIndex);
    if (!gpu.migEnabled()) {
      throw new RunFailureException(
          MIG_SELECTION,
          "GPU "
              + gpuIndex
              + " is not in MIG mode: select it as "
              + gpuIndex
              + ", not "
              + asWritten,
          false);
    }
    return gpu.migDevices().stream()
        .filter(m -> m.index() == migIndex)
        .findFirst()
        .map(m -> new SelectedDevice(gpu, m, asWritten))
        .orElseThrow(
            () ->
                new RunFailureException(
                    MIG_SELECTION,
                    "MIG device "
                        + migIndex
                        + " does not exist on GPU "
                        + gpuIndex
                        + " ("
                        + migRange(gpu)
                        + ")",
                    false));
  }

  private static String migRange(GpuDevice gpu) {
    List<Integer> indices = gpu.migDevices().stream().map(MigDevice::index).toList();
    if (indices.isEmpty()) {
      return "it has no MIG instance";
    }
    int first = indices.get(0);
    int last = indices.get(indices.size() - 1);
    if (indices.size() == 1) {
      return "has only " + first;
    }
    if (last - first == indices.size() - 1) {
      return "has " + first + "-" + last;
    }
    return "has " + indices.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }

  private GpuDevice byGpuUuid(String written) {
    List<GpuDevice> matches =
        host.gpus().stream().filter(g -> startsWithIgnoreCase(g.uuid(), written)).toList();
    if (matches.size() == 1) {
      return matches.get(0);
    }
    String all =
        host.gpus().stream()
            .map(g -> g.index() + " = " + g.uuid())
            .collect(Collectors.joining(", "));
    if (matches.isEmpty()) {
      throw invalid(
          "unknown GPU UUID "
              + written
              + ": no GPU of host "
              + host.hostId()
              + " has it (or starts with it); its GPUs are "
              + all);
    }
    throw invalid(
        "ambiguous GPU UUID prefix "
            + written
            + " on host "
            + host.hostId()
            + ": it matches "
            + matches.stream()
                .map(g -> g.uuid() + " (GPU " + g.index() + ")")
                .collect(Collectors.joining(", "))
            + "; write enough of the UUID to name one GPU");
  }

  private SelectedDevice byMigUuid(String written) {
    List<SelectedDevice> matches = new ArrayList<>();
    for (GpuDevice gpu : host.gpus()) {
      for (MigDevice mig : gpu.migDevices()) {
        if (startsWithIgnoreCase(mig.uuid(), written)) {
          matches.add(new SelectedDevice(gpu, mig, written));
        }
      }
    }
    if (matches.size() == 1) {
      return matches.get(0);
    }
    if (matches.isEmpty()) {
      throw invalid(
          "unknown MIG UUID "
              + written
              + ": no MIG instance of host "
              + host.hostId()
              + " has it (or starts with it); nvidia-smi -L lists them");
    }
    throw invalid(
        "ambiguous MIG UUID prefix "
            + written
            + ": it matches "
            + matches.stream().map(SelectedDevice::describe).collect(Collectors.joining(", "))
            + "; write enough of the UUID to name one instance");
  }

  private static boolean startsWithIgnoreCase(String uuid, String prefix) {
    return uuid.regionMatches(true, 0, prefix, 0, prefix.length());
  }

  private static RunFailureException invalid(String message) {
    return new RunFailureException(INVALID_GPU_SELECTION, message, false);
  }
}
