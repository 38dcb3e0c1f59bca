package org.llenergymeasure.campaign.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.container.Heartbeater;
import org.llenergymeasure.campaign.activities.container.ProbeOutputs;
import org.llenergymeasure.campaign.activities.gpu.Fixtures;
import org.llenergymeasure.campaign.activities.gpu.inventory.HostInventory;
import org.llenergymeasure.campaign.activities.gpu.lease.GpuLease;
import org.llenergymeasure.campaign.activities.gpu.lease.GpuLeaseStore;
import org.llenergymeasure.campaign.activities.gpu.telemetry.NoGpuTelemetry;
import org.llenergymeasure.campaign.activities.ledger.ResultCollector;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.config.BusyPolicy;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.AwaitProgress;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.AwaitResult;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;
import org.llenergymeasure.campaign.workflows.host.RouteRequest;
import org.llenergymeasure.campaign.workflows.host.RunRef;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;

/**
 * The route activity's lease path under contention: two worker instances (two HostRunActivities,
 * each with its own lease store object on the same host file) route runs at the same moment.
 */
class HostRunActivitiesLeaseConcurrencyTest {

  static final HostInventory H1 = Fixtures.host("h100x4");
  static final int ROUNDS = 60;

  @TempDir Path tmp;

  final ExecutorService pool = Executors.newFixedThreadPool(2);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  /** Routing only: anything else a container would do is not expected here. */
  static final class NoContainers implements RunBackend {
    @Override
    public LaunchResult launch(LaunchRequest request, HostSettings settings) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ProbeOutputs probe(VerifyRequest request, HostSettings settings) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void release(String handle) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void discard(String handle) {
      throw new UnsupportedOperationException();
    }

    @Override
    public AwaitResult await(
        AwaitRequest request, HostSettings settings, AwaitProgress previous, Heartbeater h) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void cleanup(CleanupRequest request, HostSettings settings) {
      // Nothing was started.
    }

    @Override
    public boolean saveLog(String handle, Path attemptDir) {
      return false;
    }
  }

  HostRunActivities worker() {
    Path file = tmp.resolve("leases").resolve(H1.hostId() + ".json");
    NoContainers containers = new NoContainers();
    return TestHostRunActivities.of(
        new HostSettings(H1.hostId(), tmp.resolve("results"), null, Map.of(), null),
        () -> H1,
        new GpuLeaseStore(file, H1.hostId(), Clock.systemUTC()),
        RunBackendByAttach.only(containers),
        new ResultCollector(containers, new NoGpuTelemetry("no GPU telemetry here")));
  }

  static RouteRequest request(String runId, GpuRequest gpus) {
    Experiment e =
        new Experiment(
            "exp",
            "img",
            null,
            gpus,
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
            BusyPolicy.FAIL,
            null,
            null,
            null,
            0,
            null,
            false,
            null,
            null,
            null);
    return new RouteRequest(new RunRef("camp", runId, "exp", 1, 1), e, AttachMode.DEVICE_REQUEST);
  }

  /** The routing, or null when refused as GpuBusy (any other failure fails the test). */
  static Callable<GpuRouting> attempt(
      HostRunActivities worker, RouteRequest request, CyclicBarrier start) {
    return () -> {
      start.await(10, TimeUnit.SECONDS);
      try {
        return worker.route(request);
      } catch (ApplicationFailure f) {
        assertEquals(FailureTypes.GPU_BUSY, f.getType(), f.getMessage());
        assertFalse(f.isNonRetryable(), "a leased GPU is worth waiting for: " + f);
        return null;
      }
    };
  }

  @Test
  void twoRunsAskingForTheSameGpuAreNeverBothGranted() throws Exception {
    HostRunActivities a = worker();
    HostRunActivities b = worker();
    String gpu1 = H1.byIndex(1).orElseThrow().uuid();
    for (int round = 0; round < ROUNDS; round++) {
      RouteRequest ra = request("a" + round + ".c1", GpuRequest.of(List.of("1")));
      RouteRequest rb = request("b" + round + ".c1", GpuRequest.of(List.of(gpu1)));
      CyclicBarrier start = new CyclicBarrier(2);
      Future<GpuRouting> fa = pool.submit(attempt(a, ra, start));
      Future<GpuRouting> fb = pool.submit(attempt(b, rb, start));
      GpuRouting ga = fa.get(30, TimeUnit.SECONDS);
      GpuRouting gb = fb.get(30, TimeUnit.SECONDS);
      assertTrue((ga == null) != (gb == null), "round " + round + ": exactly one run gets GPU 1");
      GpuRouting granted = ga != null ? ga : gb;
      RouteRequest winner = ga != null ? ra : rb;
      assertEquals(List.of(gpu1), granted.uuids());
      // The winner's cleanup frees the GPU for the next round (through the other instance's
      // store in odd rounds: the file is what they share).
      (round % 2 == 0 ? a : b).cleanup(new CleanupRequest(winner.run(), null, granted));
      assertEquals(List.of(), holders());
    }
  }

  @Test
  void countRequestsRacingForIdleGpusGetDisjointGpus() throws Exception {
    HostRunActivities a = worker();
    HostRunActivities b = worker();
    for (int round = 0; round < ROUNDS; round++) {
      RouteRequest ra = request("a" + round + ".c1", GpuRequest.count(2));
      RouteRequest rb = request("b" + round + ".c1", GpuRequest.count(1));
      CyclicBarrier start = new CyclicBarrier(2);
      Future<GpuRouting> fa = pool.submit(attempt(a, ra, start));
      Future<GpuRouting> fb = pool.submit(attempt(b, rb, start));
      GpuRouting ga = fa.get(30, TimeUnit.SECONDS);
      GpuRouting gb = fb.get(30, TimeUnit.SECONDS);
      Set<String> leased = new HashSet<>();
      List<String> granted = new ArrayList<>();
      if (ga != null) {
        granted.addAll(ga.uuids());
      }
      if (gb != null) {
        granted.addAll(gb.uuids());
      }
      assertTrue(ga != null || gb != null, "round " + round + ": three idle GPUs, someone wins");
      assertEquals(granted.size(), new HashSet<>(granted).size(), "a GPU given twice: " + granted);
      for (GpuLease l : holders()) {
        assertTrue(leased.add(l.uuid()), "leased twice: " + l);
      }
      assertEquals(new HashSet<>(granted), leased);
      // GPU 0 runs another process in this fixture: count never picks it.
      assertFalse(leased.contains(H1.byIndex(0).orElseThrow().uuid()));
      if (ga != null) {
        a.cleanup(new CleanupRequest(ra.run(), null, ga));
      }
      if (gb != null) {
        b.cleanup(new CleanupRequest(rb.run(), null, gb));
      }
      assertEquals(List.of(), holders());
    }
  }

  List<GpuLease> holders() {
    return new GpuLeaseStore(
            tmp.resolve("leases").resolve(H1.hostId() + ".json"), H1.hostId(), Clock.systemUTC())
        .holders();
  }
}
