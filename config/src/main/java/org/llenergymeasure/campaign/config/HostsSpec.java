package org.llenergymeasure.campaign.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The campaign's {@code hosts:} in a form that places runs on registered hosts: {@code any}, or a
 * list of host ids and selectors ({@link HostSelector}). A list of host ids alone keeps its older
 * meaning and is {@link Campaign#hosts()} (no spec).
 *
 * @param any every registered host
 * @param names host ids listed; a listed host matches whatever its GPUs
 * @param selectors selectors listed; a host matches when it matches one of them
 */
public record HostsSpec(boolean any, List<String> names, List<HostSelector> selectors) {

  public HostsSpec {
    names = names == null ? List.of() : List.copyOf(names);
    selectors = selectors == null ? List.of() : List.copyOf(selectors);
  }

  public static HostsSpec anyHost() {
    return new HostsSpec(true, List.of(), List.of());
  }

  /** A list of host ids (the older form), for a run whose GPU model narrows the hosts. */
  public static HostsSpec named(List<String> names) {
    return new HostsSpec(false, names, List.of());
  }

  /**
   * Whether a host matches: {@code any}, listed, or one of its GPUs (name, memory in GiB or null)
   * matches a selector.
   */
  public boolean matches(String hostId, List<String> gpuNames, List<Double> gpuMemoryGiB) {
    if (any || names.contains(hostId)) {
      return true;
    }
    for (HostSelector s : selectors) {
      for (int i = 0; i < gpuNames.size(); i++) {
        if (s.matchesGpu(gpuNames.get(i), gpuMemoryGiB.get(i))) {
          return true;
        }
      }
    }
    return false;
  }

  /** As a user would write it: {@code any} or {@code [h1, {gpuModel: "*H100*"}]}. */
  @Override
  public String toString() {
    if (any) {
      return "any";
    }
    List<String> items = new ArrayList<>(names);
    selectors.forEach(s -> items.add(s.toString()));
    return "[" + String.join(", ", items) + "]";
  }
}
