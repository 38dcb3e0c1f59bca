package org.llenergymeasure.campaign.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.HostRunActivitiesLeaseConcurrencyTest.NoContainers;
import org.llenergymeasure.campaign.activities.gpu.cooldown.GpuCooldown;
import org.llenergymeasure.campaign.activities.gpu.cooldown.GpuOccupancy;
import org.llenergymeasure.campaign.activities.gpu.cooldown.IdleBaselineSampler;
import org.llenergymeasure.campaign.activities.gpu.inventory.FileInventorySource;
import org.llenergymeasure.campaign.activities.gpu.inventory.InventorySource;
import org.llenergymeasure.campaign.activities.gpu.lease.GpuLeaseStore;
import org.llenergymeasure.campaign.activities.gpu.quarantine.GpuHygiene;
import org.llenergymeasure.campaign.activities.gpu.quarantine.GpuMemory;
import org.llenergymeasure.campaign.activities.gpu.quarantine.QuarantineStore;
import org.llenergymeasure.campaign.activities.gpu.telemetry.NoGpuTelemetry;
import org.llenergymeasure.campaign.activities.ledger.ResultCollector;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.config.BusyPolicy;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.CleanupResult;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.QuarantinedGpu;
import org.llenergymeasure.campaign.workflows.host.RouteRequest;
import org.llenergymeasure.campaign.workflows.host.RunRef;

/**
 * GPU hygiene through the real route and cleanup activities on a simulated host whose
 * compute-apps.csv (and memory-used.csv) the test edits: a process left on a GPU after cleanup
 * quarantines it, and routing keeps new runs off it until it is clean or released.
 */
class HostRunActivitiesHygieneTest {

  static final String HOST = "sim";
  static final String GPU1 = "GPU-1b2c3d4e-2222-4f60-9bac-111111111111";
  static final String GPU2 = "GPU-2c3d4e5f-3333-4071-acbd-222222222222";

  @TempDir Path tmp;
  Path inventory;
  GpuLeaseStore leases;
  QuarantineStore quarantine;
  HostRunActivities host;
  final AtomicInteger hygieneSleeps = new AtomicInteger();

  /** Leases held whenever the hygiene check read the inventory (-1: it never did). */
  final AtomicInteger leasesSeenByCheck = new AtomicInteger(-1);

  @BeforeEach
  void setUp() throws IOException {
    inventory = Files.createDirectories(tmp.resolve("inventory"));
    Path sample = DockerExtension.repoRoot().resolve("examples/inventories/sim-4gpu-idle");
    for (String f : List.of("query-gpu.csv", "nvidia-smi-L.txt")) {
      Files.copy(sample.resolve(f), inventory.resolve(f));
    }
    leases = new GpuLeaseStore(tmp.resolve("leases.json"), HOST, Clock.systemUTC());
    quarantine = QuarantineStore.forHost(tmp.resolve("home"), HOST);
    HostSettings settings =
        new HostSettings(HOST, tmp.resolve("results"), inventory, Map.of(), null);
    InventorySource files = new FileInventorySource(inventory, HOST);
    InventorySource watched =
        () -> {
          leasesSeenByCheck.set(leases.holders().size());
          return files.read();
        };
    Clock fixed = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
    GpuCare care =
        new GpuCare(
            GpuCooldown.realTime(java.util.Optional::empty, GpuOccupancy.unknown()),
            new IdleBaselineSampler(java.util.Optional::empty, GpuOccupancy.unknown(), d -> {}),
            quarantine,
            new GpuHygiene(
                watched,
                GpuMemory.file(inventory),
                pid -> null,
                3,
                Duration.ofSeconds(1),
                d -> hygieneSleeps.incrementAndGet()),
            fixed);
    NoContainers containers = new NoContainers();
    host =
        TestHostRunActivities.of(
            settings,
            files,
            leases,
            RunBackendByAttach.only(containers),
            new ResultCollector(containers, new NoGpuTelemetry("no GPU telemetry here")),
            care);
  }

  static RouteRequest request(String runId, String gpu, BusyPolicy busy) {
    Experiment e =
        new Experiment(
            "exp",
            "img",
            null,
            GpuRequest.of(List.of(gpu)),
            null,
            null,
            null,
            null,
            "/results",
            "result.json",
            null,
            null,
            Duration.ofHours(1),
            Duration.ofMinutes(5),
            0,
            null,
            null,
            busy,
            null,
            null,
            null,
            0,
            null,
            false,
            null,
            null,
            null);
    return new RouteRequest(new RunRef("camp", runId, "exp", 1, 1), e, AttachMode.PROCESS);
  }

  void computeApps(String csv) throws IOException {
    Files.writeString(inventory.resolve("compute-apps.csv"), csv);
  }

  CleanupResult cleanup(RouteRequest r, GpuRouting routing) {
    return host.cleanup(new CleanupRequest(r.run(), null, routing));
  }

  @Test
  void aProcessLeftOnTheGpuQuarantinesItBeforeTheLeaseIsReleased() throws IOException {
    RouteRequest a = request("a.c1", "1", BusyPolicy.WAIT);
    GpuRouting routing = host.route(a);
    computeApps("4242, " + GPU1 + ", 2566 MiB\n");

    CleanupResult result = cleanup(a, routing);

    assertEquals(1, leasesSeenByCheck.get(), "the check ran while the run still held its lease");
    assertEquals(
        List.of(), leases.holders(), "the lease is released after the quarantine is recorded");
    assertEquals(
        2,
        hygieneSleeps.get(),
        "a dirty GPU is looked at three times (two waits) before it counts");
    QuarantinedGpu q = result.quarantined().get(0);
    assertEquals(List.of(q), quarantine.list());
    assertEquals(GPU1, q.uuid());
    assertEquals(HOST, q.host());
    assertEquals("camp/a.c1/a1", q.leftBy());
    assertEquals("2026-03-01T10:00:00Z", q.since());
    assertEquals(4242, q.holders().get(0).pid());
    assertEquals("a process is still on GPU 1 after cleanup: pid 4242 (2566 MiB)", q.reason());
  }

  @Test
  void theNextRunWaitsOrFailsWithTheQuarantineInItsMessage() throws IOException {
    RouteRequest a = request("a.c1", "1", BusyPolicy.WAIT);
    GpuRouting routing = host.route(a);
    computeApps("4242, " + GPU1 + ", 2566 MiB\n");
    cleanup(a, routing);
    assertEquals(1, quarantine.list().size());

    ApplicationFailure waits =
        assertThrows(
            ApplicationFailure.class, () -> host.route(request("b.c1", "1", BusyPolicy.WAIT)));
    assertEquals(FailureTypes.GPU_BUSY, waits.getType());
    assertFalse(waits.isNonRetryable(), "busy: wait waits for it");
    String m = waits.getOriginalMessage();
    assertTrue(m.contains("GPU " + GPU1 + " is quarantined since 2026-03-01T10:00:00Z"), m);
    assertTrue(m.contains("pid 4242"), m);
    assertTrue(m.contains("llem-campaign quarantine release " + GPU1), m);

    ApplicationFailure fails =
        assertThrows(
            ApplicationFailure.class, () -> host.route(request("b.c1", "1", BusyPolicy.FAIL)));
    assertTrue(fails.isNonRetryable(), "busy: fail fails at once");
    // busy: ignore shares GPUs with other processes on purpose, but never a quarantined one.
    assertThrows(
        ApplicationFailure.class, () -> host.route(request("b.c1", "1", BusyPolicy.IGNORE)));
    assertEquals(List.of(), leases.holders(), "no refused routing took a lease");

    // The operator releases it; the process is still there, so busy: wait still waits for it
    // as an ordinary busy GPU, and busy: ignore now runs.
    assertEquals(1, quarantine.release(GPU1).size());
    GpuRouting ignored = host.route(request("b.c1", "1", BusyPolicy.IGNORE));
    assertEquals(List.of(GPU1), ignored.uuids());
  }

  @Test
  void aQuarantineIsLiftedOnceTheGpuIsCleanAgain() throws IOException {
    RouteRequest a = request("a.c1", "1", BusyPolicy.WAIT);
    GpuRouting routing = host.route(a);
    computeApps("4242, " + GPU1 + ", 2566 MiB\n");
    cleanup(a, routing);
    computeApps("");
    GpuRouting next = host.route(request("b.c1", "1", BusyPolicy.WAIT));
    assertEquals(List.of(GPU1), next.uuids());
    assertEquals(List.of(), quarantine.list());
  }

  @Test
  void aRetriedCleanupIsIdempotentAndLiftsItsOwnQuarantineWhenCleanNow() throws IOException {
    RouteRequest a = request("a.c1", "1", BusyPolicy.WAIT);
    GpuRouting routing = host.route(a);
    computeApps("4242, " + GPU1 + ", 2566 MiB\n");
    QuarantinedGpu first = cleanup(a, routing).quarantined().get(0);
    QuarantinedGpu second = cleanup(a, routing).quarantined().get(0);
    assertEquals(first, second);
    assertEquals(List.of(first), quarantine.list());
    computeApps("");
    assertEquals(List.of(), cleanup(a, routing).quarantined());
    assertEquals(List.of(), quarantine.list());
    assertEquals(List.of(), leases.holders());
  }

  @Test
  void processesThatWereThereAtRoutingAreNotTheRunsToLeave() throws IOException {
    computeApps("777, " + GPU2 + ", 1000 MiB\n");
    RouteRequest shared = request("s.c1", "2", BusyPolicy.IGNORE);
    GpuRouting routing = host.route(shared);
    assertEquals(List.of(), cleanup(shared, routing).quarantined());
    assertEquals(0, hygieneSleeps.get(), "clean at the first look");
    computeApps("777, " + GPU2 + ", 1000 MiB\n888, " + GPU2 + ", 500 MiB\n");
    RouteRequest again = request("t.c1", "2", BusyPolicy.IGNORE);
    GpuRouting r2 = host.route(again);
    computeApps(
        "777, " + GPU2 + ", 1000 MiB\n888, " + GPU2 + ", 500 MiB\n999, " + GPU2 + ", 10 MiB\n");
    List<QuarantinedGpu> q = cleanup(again, r2).quarantined();
    assertEquals(
        List.of(999L),
        q.get(0).holders().stream().map(h -> h.pid()).toList(),
        "only the new process");
  }

  @Test
  void memoryNotBackWithNoProcessListedQuarantinesToo() throws IOException {
    RouteRequest a = request("a.c1", "1", BusyPolicy.WAIT);
    Files.writeString(inventory.resolve(GpuMemory.FILE), GPU1 + ", 3\n");
    GpuRouting routing = host.route(a);
    Files.writeString(inventory.resolve(GpuMemory.FILE), GPU1 + ", 5000\n");
    QuarantinedGpu q = cleanup(a, routing).quarantined().get(0);
    assertEquals(List.of(), q.holders());
    assertEquals(5000L, q.usedMemoryMiB());
    assertEquals(
        "GPU 1 still has 5000 MiB in use after cleanup with no process listed (allowed 259 MiB)",
        q.reason());
  }

  @Test
  void countRequestsSkipQuarantinedGpus() throws IOException {
    RouteRequest a = request("a.c1", "1", BusyPolicy.WAIT);
    GpuRouting routing = host.route(a);
    computeApps("4242, " + GPU1 + ", 2566 MiB\n");
    cleanup(a, routing);
    Experiment e = request("c.c1", "1", BusyPolicy.WAIT).experiment();
    Experiment counted =
        new Experiment(
            e.name(),
            e.image(),
            e.command(),
            GpuRequest.count(3),
            null,
            null,
            null,
            null,
            e.resultsDir(),
            e.resultFile(),
            null,
            null,
            e.timeout(),
            e.silenceTimeout(),
            0,
            null,
            null,
            BusyPolicy.WAIT,
            null,
            null,
            null,
            0,
            null,
            false,
            null,
            null,
            null);
    GpuRouting three =
        host.route(
            new RouteRequest(new RunRef("camp", "c.c1", "exp", 1, 1), counted, AttachMode.PROCESS));
    assertFalse(three.uuids().contains(GPU1), three.uuids().toString());
    assertEquals(3, three.uuids().size());
  }
}
