package org.llenergymeasure.campaign.workflows.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.config.HostSelector;
import org.llenergymeasure.campaign.config.HostsSpec;
import org.llenergymeasure.campaign.workflows.registry.HostRecord;
import org.llenergymeasure.campaign.workflows.registry.RegisteredGpu;

/** The placement rule's worked cases (campaign-format.md, "Placement"). */
class PlacementRuleTest {

  static final long NOW = 1_000_000_000L;
  static final String H100 = "NVIDIA H100 80GB HBM3";
  static final String A100 = "NVIDIA A100-SXM4-40GB";

  /** A host seen just now with {@code models} as its GPUs, the first {@code leased} leased. */
  static HostRecord host(String id, int leased, String... models) {
    return host(id, leased, false, NOW, models);
  }

  static HostRecord host(String id, int leased, boolean draining, long seen, String... models) {
    List<RegisteredGpu> gpus = new ArrayList<>();
    List<String> lease = new ArrayList<>();
    for (int i = 0; i < models.length; i++) {
      String uuid = "GPU-" + id + "-" + i;
      long mib = models[i].contains("40GB") ? 40_960L : 81_559L;
      gpus.add(new RegisteredGpu(uuid, i, models[i], mib, List.of()));
      if (i < leased) {
        lease.add(uuid);
      }
    }
    return new HostRecord(id, gpus, "550.54", "1.0", lease, List.of(), 0L, seen, draining);
  }

  static Placement place(List<HostRecord> hosts, HostsSpec spec, GpuRequest gpus) {
    return PlacementRule.place(hosts, NOW, new PlacementRequest("e1-c1", spec, gpus));
  }

  @Test
  void fewestFreeMatchingGpusThatFitFirstThenHostId() {
    List<HostRecord> hosts =
        List.of(
            host("h4", 0, H100, H100, H100, H100), // 4 free
            host("h2", 2, H100, H100, H100, H100), // 2 free
            host("h3", 2, H100, H100, H100, H100), // 2 free
            host("h1", 3, H100, H100, H100, H100)); // 1 free: does not fit
    assertEquals(
        Placement.on(List.of("h2", "h3", "h4")),
        place(hosts, HostsSpec.anyHost(), GpuRequest.count(2)));
  }

  @Test
  void theModelGlobCountsOnlyMatchingGpus() {
    List<HostRecord> hosts =
        List.of(host("a", 0, A100, A100, A100, A100), host("b", 1, H100, H100, H100, A100));
    // b has 2 free H100s (one is leased): it fits a request for 2, a never does.
    assertEquals(
        Placement.on(List.of("b")),
        place(hosts, HostsSpec.anyHost(), GpuRequest.count(2, "*H100*")));
    assertEquals(
        Placement.on(List.of("b", "a")), place(hosts, HostsSpec.anyHost(), GpuRequest.count(2)));
  }

  @Test
  void staleAndDrainingHostsAreNotPlacedOnAndTheSentenceSaysWhy() {
    long old = NOW - 3 * 60_000;
    List<HostRecord> hosts =
        List.of(
            host("h1", 3, H100, H100, H100, H100),
            host("h2", 0, true, NOW, H100, H100),
            host("h3", 0, false, old, H100, H100));
    Placement p = place(hosts, HostsSpec.anyHost(), GpuRequest.count(2, "*H100*"));
    assertEquals(List.of(), p.candidates());
    assertNull(p.never());
    assertEquals(
        "2 idle GPUs matching *H100* on any of 3 hosts: h1 has 1 free of 4, h2 is drained,"
            + " h3 is stale",
        p.waitFor());
  }

  @Test
  void theHostsSpecNarrowsTheHosts() {
    List<HostRecord> hosts =
        List.of(host("a", 0, A100, A100), host("b", 0, H100, H100), host("c", 0, A100, A100));
    HostsSpec spec = new HostsSpec(false, List.of("c"), List.of(new HostSelector("*H100*", 70)));
    assertEquals(Placement.on(List.of("b", "c")), place(hosts, spec, GpuRequest.count(1)));
    // minMemoryGiB: a 40 GB GPU does not qualify a host.
    HostsSpec big = new HostsSpec(false, List.of(), List.of(new HostSelector(null, 70)));
    assertEquals(Placement.on(List.of("b")), place(hosts, big, GpuRequest.count(1)));
  }

  @Test
  void neverWhenNoRegisteredHostHasEnoughMatchingGpusEvenAllFree() {
    List<HostRecord> hosts = List.of(host("a", 0, A100, A100), host("b", 1, H100, A100));
    Placement p = place(hosts, HostsSpec.anyHost(), GpuRequest.count(2, "*H100*"));
    assertEquals(List.of(), p.candidates());
    assertNull(p.waitFor());
    assertEquals(
        "run e1-c1 asks for 2 GPUs matching *H100* on one host, and no registered host could"
            + " ever fit it: a has no GPU matching *H100*, b has only 1 GPU matching *H100*",
        p.never());
  }

  @Test
  void neverWhenNoRegisteredHostMatchesTheSpec() {
    HostsSpec spec = new HostsSpec(false, List.of(), List.of(new HostSelector("*B200*", null)));
    assertEquals(
        Placement.neverFits(
            "run e1-c1 asks for 1 GPU on one host, and no registered host could ever fit it:"
                + " none matches hosts: [{gpuModel: \"*B200*\"}] (registered: a, b)"),
        place(List.of(host("b", 0, H100), host("a", 0, A100)), spec, GpuRequest.count(1)));
  }

  @Test
  void aBusyHostThatCouldFitMeansWaitNotNever() {
    Placement p =
        place(List.of(host("a", 2, H100, H100)), HostsSpec.anyHost(), GpuRequest.count(2));
    assertEquals(Placement.waiting("2 idle GPUs on host a, which has 0 free of 2"), p);
  }

  @Test
  void anEmptyRegistryOrAListedHostNotYetRegisteredMeansWait() {
    assertEquals(
        Placement.waiting(
            "1 idle GPU: no host is registered yet (a host registers when its worker starts)"),
        place(List.of(), HostsSpec.anyHost(), GpuRequest.count(1)));
    Placement p =
        place(
            List.of(host("a", 0, A100)),
            HostsSpec.named(List.of("a", "z")),
            GpuRequest.count(1, "*H100*"));
    assertEquals(
        "1 idle GPU matching *H100* on any of 2 hosts: a has no GPU matching *H100*,"
            + " z is not registered",
        p.waitFor());
  }

  @Test
  void allNeedsEveryGpuOfTheHostFree() {
    List<HostRecord> hosts = List.of(host("a", 1, H100, H100), host("b", 0, H100, H100, H100));
    assertEquals(Placement.on(List.of("b")), place(hosts, HostsSpec.anyHost(), GpuRequest.all()));
  }

  @Test
  void theAnswerDoesNotDependOnTheRecordsOrder() {
    List<HostRecord> hosts =
        new ArrayList<>(
            List.of(host("c", 0, H100, H100), host("a", 0, H100, H100), host("b", 1, H100)));
    Placement first = place(hosts, HostsSpec.anyHost(), GpuRequest.count(1));
    java.util.Collections.reverse(hosts);
    assertEquals(first, place(hosts, HostsSpec.anyHost(), GpuRequest.count(1)));
    assertEquals(List.of("a", "c"), first.candidates());
  }
}
