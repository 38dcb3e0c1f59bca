package org.llenergymeasure.campaign.workflows.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.llenergymeasure.campaign.config.GpuModelGlob;
import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.config.HostsSpec;
import org.llenergymeasure.campaign.workflows.registry.HostRecord;
import org.llenergymeasure.campaign.workflows.registry.HostState;
import org.llenergymeasure.campaign.workflows.registry.RegisteredGpu;

/**
 * Where a run may go, from the registry's records (campaign-format.md, "Placement"). Pure and
 * deterministic: the same records, clock and request give the same answer.
 *
 * <p>Candidates are the hosts that are up, match the campaign's {@code hosts:}, and have at least
 * as many free GPUs matching the run's request as it asks for; ordered by fewest such free GPUs
 * (large blocks stay free for runs that need them), then host id. The host's own lease decides in
 * the end: a candidate may still refuse. With no candidate the answer says what the run waits for,
 * host by host; when no registered host matching {@code hosts:} has that many matching GPUs at all,
 * the run can never be placed and the answer says so (unless a listed host has not registered yet,
 * or no host has).
 */
public final class PlacementRule {

  private PlacementRule() {}

  /** A host as the rule sees it: its state and its GPUs that match the request. */
  private record Seen(HostRecord host, HostState state, int matching, int free) {}

  public static Placement place(List<HostRecord> records, long nowMs, PlacementRequest request) {
    HostsSpec spec = request.hosts();
    GpuRequest gpus = request.gpus();
    int need = need(gpus);
    List<Seen> seen = new ArrayList<>();
    List<HostRecord> sorted = new ArrayList<>(records);
    sorted.sort(Comparator.comparing(HostRecord::hostId));
    for (HostRecord h : sorted) {
      if (!matchesSpec(spec, h)) {
        continue;
      }
      List<RegisteredGpu> matching = h.gpus().stream().filter(g -> matches(gpus, g)).toList();
      List<String> freeUuids = h.freeGpus().stream().map(RegisteredGpu::uuid).toList();
      int free = (int) matching.stream().filter(g -> freeUuids.contains(g.uuid())).count();
      seen.add(new Seen(h, h.state(nowMs), matching.size(), free));
    }
    List<Seen> fit =
        seen.stream()
            .filter(s -> s.state().placeable() && fitsNow(gpus, need, s))
            .sorted(Comparator.comparingInt(Seen::free).thenComparing(s -> s.host().hostId()))
            .toList();
    if (!fit.isEmpty()) {
      return Placement.on(fit.stream().map(s -> s.host().hostId()).toList());
    }
    List<String> unregistered =
        spec.names().stream()
            .filter(n -> records.stream().noneMatch(h -> h.hostId().equals(n)))
            .toList();
    boolean anyCouldFit = seen.stream().anyMatch(s -> couldFit(gpus, need, s));
    if (!records.isEmpty() && unregistered.isEmpty() && !anyCouldFit) {
      return Placement.neverFits(never(request, need, seen, records));
    }
    return Placement.waiting(waitFor(request, need, seen, unregistered, records.isEmpty()));
  }

  /**
   * The free GPUs of {@code host} a run placed there would take as the rule counts them: the first
   * {@code count} matching free GPUs by index, every matching one for {@code all}, none for {@code
   * none} (a worker's view holds them until the host reports its lease).
   */
  public static List<String> counted(HostRecord host, GpuRequest gpus) {
    if (gpus.kind() == GpuRequest.Kind.NONE) {
      return List.of();
    }
    List<String> free =
        host.freeGpus().stream().filter(g -> matches(gpus, g)).map(RegisteredGpu::uuid).toList();
    return gpus.kind() == GpuRequest.Kind.ALL
        ? free
        : free.subList(0, Math.min(need(gpus), free.size()));
  }

  /** The GPUs a request needs on one host; {@code all} needs at least one. */
  static int need(GpuRequest gpus) {
    Integer n = gpus.knownCount();
    return n == null ? 1 : n;
  }

  /** Whether a GPU counts for the request: for {@code count}, full GPUs matching the model. */
  static boolean matches(GpuRequest gpus, RegisteredGpu g) {
    if (gpus.kind() != GpuRequest.Kind.COUNT) {
      return true;
    }
    return !g.mig() && (gpus.model() == null || GpuModelGlob.matches(gpus.model(), g.name()));
  }

  private static boolean matchesSpec(HostsSpec spec, HostRecord h) {
    return spec.matches(
        h.hostId(),
        h.gpus().stream().map(RegisteredGpu::name).toList(),
        h.gpus().stream().map(RegisteredGpu::memoryGiB).toList());
  }

  private static boolean fitsNow(GpuRequest gpus, int need, Seen s) {
    if (gpus.kind() == GpuRequest.Kind.ALL) {
      return s.matching() >= 1 && s.free() == s.matching();
    }
    return s.free() >= need;
  }

  private static boolean couldFit(GpuRequest gpus, int need, Seen s) {
    return s.matching() >= need;
  }

  /** "2 idle GPUs matching *H100*", "1 idle GPU", "all GPUs of a host idle". */
  static String asked(GpuRequest gpus, int need) {
    if (gpus.kind() == GpuRequest.Kind.ALL) {
      return "all GPUs of a host idle";
    }
    if (gpus.kind() == GpuRequest.Kind.NONE) {
      return "a host without GPUs";
    }
    return need
        + " idle GPU"
        + (need == 1 ? "" : "s")
        + (gpus.model() == null ? "" : " matching " + gpus.model());
  }

  private static String waitFor(
      PlacementRequest request,
      int need,
      List<Seen> seen,
      List<String> unregistered,
      boolean noneRegistered) {
    if (noneRegistered) {
      return asked(request.gpus(), need)
          + ": no host is registered yet (a host registers when its worker starts)";
    }
    List<String> why = new ArrayList<>();
    for (Seen s : seen) {
      why.add(
          s.host().hostId()
              + (seen.size() + unregistered.size() == 1 ? ", which " : " ")
              + whyNot(request.gpus(), need, s));
    }
    for (String n : unregistered) {
      why.add(
          n + (seen.size() + unregistered.size() == 1 ? ", which " : " ") + "is not registered");
    }
    if (why.isEmpty()) {
      return asked(request.gpus(), need) + ": no registered host matches hosts: " + request.hosts();
    }
    int hosts = why.size();
    return asked(request.gpus(), need)
        + (hosts == 1 ? " on host " : " on any of " + hosts + " hosts: ")
        + String.join(", ", why);
  }

  private static String whyNot(GpuRequest gpus, int need, Seen s) {
    if (s.matching() == 0) {
      return "has no GPU" + modelWords(gpus);
    }
    if (!couldFit(gpus, need, s)) {
      return "has only "
          + s.matching()
          + " GPU"
          + (s.matching() == 1 ? "" : "s")
          + modelWords(gpus);
    }
    if (!s.state().placeable()) {
      return "is " + s.state().word();
    }
    return "has " + s.free() + " free of " + s.matching();
  }

  private static String modelWords(GpuRequest gpus) {
    return gpus.model() == null ? "" : " matching " + gpus.model();
  }

  private static String never(
      PlacementRequest request, int need, List<Seen> seen, List<HostRecord> records) {
    String head =
        "run "
            + request.runId()
            + " asks for "
            + asked(request.gpus(), need).replace(" idle", "")
            + " on one host, and no registered host could ever fit it";
    if (seen.isEmpty()) {
      return head
          + ": none matches hosts: "
          + request.hosts()
          + " (registered: "
          + String.join(", ", records.stream().map(HostRecord::hostId).sorted().toList())
          + ")";
    }
    List<String> why = new ArrayList<>();
    for (Seen s : seen) {
      why.add(s.host().hostId() + " " + whyNot(request.gpus(), need, s));
    }
    return head + ": " + String.join(", ", why);
  }
}
