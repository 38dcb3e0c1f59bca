package org.llenergymeasure.campaign.worker.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.gpu.inventory.FileInventorySource;
import org.llenergymeasure.campaign.activities.gpu.lease.GpuLeaseStore;
import org.llenergymeasure.campaign.activities.gpu.lease.LeaseOwner;
import org.llenergymeasure.campaign.activities.gpu.quarantine.QuarantineStore;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.activities.testing.MovableClock;
import org.llenergymeasure.campaign.workflows.host.QuarantinedGpu;
import org.llenergymeasure.campaign.workflows.registry.HostRecord;
import org.llenergymeasure.campaign.workflows.registry.HostReport;

/**
 * When a worker reports its host (start, lease or quarantine change, 30 s keep-alive), what it
 * reports (the inventory's GPUs and the host's lease and quarantine files), and that a registry it
 * cannot reach never throws into the worker or its routing.
 */
class HostReporterTest {

  private static final String GPU0 = "GPU-0a1b2c3d-1111-4e5f-8a9b-000000000000";
  private static final String GPU3 = "GPU-3d4e5f60-4444-4182-bdce-333333333333";

  /** A registry that records reports and answers with a drain mark, or fails on every call. */
  private static final class FakeRegistry implements HostReporter.Registry {
    final List<HostReport> reports = new ArrayList<>();
    final List<String> forgotten = new ArrayList<>();
    int queries;
    boolean draining;
    boolean down;

    private HostRecord record(HostReport r) {
      return new HostRecord(
          r.hostId(),
          r.gpus(),
          r.driver(),
          r.workerVersion(),
          r.leasedUuids(),
          r.quarantinedUuids(),
          0,
          0,
          draining);
    }

    @Override
    public HostRecord report(HostReport report) {
      if (down) {
        throw new IllegalStateException("UNAVAILABLE: io exception");
      }
      reports.add(report);
      return record(report);
    }

    List<HostRecord> hosts() {
      queries++;
      if (down) {
        throw new IllegalStateException("UNAVAILABLE: io exception");
      }
      return reports.isEmpty() ? List.of() : List.of(record(reports.get(reports.size() - 1)));
    }

    @Override
    public void forget(String hostId) {
      if (down) {
        throw new IllegalStateException("UNAVAILABLE: io exception");
      }
      forgotten.add(hostId);
    }
  }

  @TempDir Path tmp;
  private final FakeRegistry registry = new FakeRegistry();
  private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private GpuLeaseStore leases;
  private QuarantineStore quarantine;
  private HostReporter reporter;

  @BeforeEach
  void setUp() {
    Path inventory = DockerExtension.repoRoot().resolve("examples/inventories/sim-4gpu-idle");
    leases = new GpuLeaseStore(tmp.resolve("leases.json"), "h", Clock.systemUTC());
    quarantine = new QuarantineStore(tmp.resolve("quarantine.json"));
    reporter =
        new HostReporter(
            "h",
            registry,
            new RegistryCache(registry::hosts, clock),
            new HostSnapshot(
                "h", new FileInventorySource(inventory, "h"), leases, quarantine, true),
            clock);
  }

  @Test
  void reportsAtStartOnEveryLeaseOrQuarantineChangeAndAsAKeepAlive() {
    reporter.tick();
    assertEquals(1, registry.reports.size());
    HostReport first = registry.reports.get(0);
    assertEquals(4, first.gpus().size());
    assertEquals(GPU0, first.gpus().get(0).uuid());
    assertEquals("NVIDIA H100 80GB HBM3", first.gpus().get(0).name());
    assertEquals(81_559L, first.gpus().get(0).memoryMiB());
    assertEquals(null, first.driver(), "a simulated host has no driver");
    assertEquals(List.of(), first.leasedUuids());

    reporter.tick();
    assertEquals(1, registry.reports.size(), "nothing changed, keep-alive not due");

    leases.acquire(new LeaseOwner("c", "r.c1", 1), List.of(GPU0));
    reporter.tick();
    assertEquals(2, registry.reports.size(), "a lease change is reported at once");
    assertEquals(List.of(GPU0), registry.reports.get(1).leasedUuids());

    quarantine.quarantine(
        new QuarantinedGpu("h", GPU3, List.of(), 512L, "c/r.c1", "2026-01-01T00:00:00Z", "dirty"));
    reporter.tick();
    assertEquals(List.of(GPU3), registry.reports.get(2).quarantinedUuids());

    clock.advance(Duration.ofSeconds(29));
    reporter.tick();
    assertEquals(3, registry.reports.size());
    clock.advance(Duration.ofSeconds(1));
    reporter.tick();
    assertEquals(4, registry.reports.size(), "keep-alive after 30 s");
  }

  @Test
  void anUnreachableRegistryNeverThrowsAndRoutingKeepsTheLastAnswer() {
    registry.down = true;
    reporter.tick(); // logged, not thrown
    assertFalse(reporter.draining(), "no answer yet: not draining");

    registry.down = false;
    registry.draining = true;
    reporter.tick();
    assertEquals(1, registry.reports.size(), "retried at the next look, not in 30 s");
    assertTrue(reporter.draining());
    registry.down = true;
    clock.advance(RegistryCache.MAX_AGE);
    assertTrue(reporter.draining(), "the registry is down: the last answer holds");
    reporter.close(); // its forget fails: logged only
  }

  @Test
  void aDrainedHostLeavesTheRegistryWhenItsWorkerStopsAndABusyOneDoesNot() {
    registry.draining = true;
    leases.acquire(new LeaseOwner("c", "r.c1", 1), List.of(GPU0));
    reporter.tick();
    reporter.close();
    assertEquals(List.of(), registry.forgotten, "runs still hold GPUs: it stays listed");

    // Drained after its last report (no report or route since): the registry is asked at stop.
    setUp();
    leases.release(new LeaseOwner("c", "r.c1", 1));
    reporter.tick();
    registry.draining = true;
    reporter.close();
    assertEquals(List.of("h"), registry.forgotten);
  }

  @Test
  void routingReadsTheProcesssViewOnceASecondAndSeesADrainWithinThatSecond() {
    reporter.tick();
    assertFalse(reporter.draining());
    int afterFirst = registry.queries;
    registry.draining = true; // `drain h`, applied by the registry
    for (int i = 0; i < 50; i++) {
      assertFalse(reporter.draining(), "the view read before the drain serves for 1 s");
    }
    assertEquals(afterFirst, registry.queries, "50 routes in the same second: no further query");
    clock.advance(RegistryCache.MAX_AGE);
    assertTrue(reporter.draining(), "1 s later the view is read again and the drain is seen");
    assertEquals(afterFirst + 1, registry.queries);
  }
}
