package org.llenergymeasure.campaign.activities.gpu.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reconciler on a real lease file with a stand-in for the engine's container list. */
class LeaseReconcilerTest {

  static final LeaseOwner A = new LeaseOwner("camp", "llama.c1", 1);
  static final LeaseOwner B = new LeaseOwner("camp", "mistral.c1", 1);
  static final LeaseOwner C = new LeaseOwner("camp", "qwen.c1", 1);
  static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

  @TempDir Path dir;

  GpuLeaseStore storeAt(Instant t) {
    return new GpuLeaseStore(dir.resolve("leases/h.json"), "h", Clock.fixed(t, ZoneOffset.UTC));
  }

  static List<String> uuids(List<GpuLease> leases) {
    return leases.stream().map(GpuLease::uuid).sorted().toList();
  }

  @Test
  void dropsOnlyOldLeasesOfRunsNoLongerInProgress() {
    storeAt(T0).acquire(A, List.of("GPU-0", "GPU-1"));
    storeAt(T0).acquire(B, List.of("GPU-2"));
    storeAt(T0.plusSeconds(590)).acquire(C, List.of("GPU-3"));
    GpuLeaseStore store = storeAt(T0.plusSeconds(600));
    LeaseReconciler reconciler =
        new LeaseReconciler(
            store,
            candidates -> Set.of(B),
            Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC),
            Duration.ofMinutes(2));

    LeaseReconciler.Result result = reconciler.reconcile(null);

    assertEquals(List.of("GPU-0", "GPU-1"), uuids(result.dropped()));
    assertEquals(Set.of(C), result.keptForNow());
    assertEquals(List.of("GPU-2", "GPU-3"), uuids(store.holders()));
    // A's GPUs can be routed again.
    store.acquire(B, List.of("GPU-2", "GPU-0"));
  }

  @Test
  void restrictedToSomeOwnersLeavesTheOthersAlone() {
    storeAt(T0).acquire(A, List.of("GPU-0"));
    storeAt(T0).acquire(B, List.of("GPU-1"));
    GpuLeaseStore store = storeAt(T0.plusSeconds(3600));
    LeaseReconciler reconciler =
        new LeaseReconciler(
            store,
            candidates -> Set.of(),
            Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC),
            Duration.ofMinutes(2));
    assertEquals(List.of("GPU-1"), uuids(reconciler.reconcile(Set.of(B)).dropped()));
    assertEquals(List.of("GPU-0"), uuids(store.holders()));
  }

  @Test
  void whenLivenessCannotBeToldNothingIsDroppedAndTheWorkerStillStarts() {
    storeAt(T0).acquire(A, List.of("GPU-0"));
    GpuLeaseStore store = storeAt(T0.plusSeconds(3600));
    AtomicInteger calls = new AtomicInteger();
    try (LeaseReconciler reconciler =
        new LeaseReconciler(
            store,
            candidates -> {
              calls.incrementAndGet();
              throw new IllegalStateException("engine down");
            },
            Clock.systemUTC(),
            Duration.ofMinutes(2))) {
      reconciler.reconcileAtStart();
    }
    assertEquals(1, calls.get());
    assertEquals(List.of("GPU-0"), uuids(store.holders()));
  }

  /**
   * A crashed worker's lease that is still young at start is dropped once its grace period is over;
   * a lease taken by this worker after its start is not judged.
   */
  @Test
  void youngLeasesFoundAtStartAreLookedAtAgainAfterTheirGracePeriod() throws Exception {
    Path file = dir.resolve("leases/h.json");
    GpuLeaseStore store = new GpuLeaseStore(file, "h", Clock.systemUTC());
    store.acquire(A, List.of("GPU-0"));
    try (LeaseReconciler reconciler =
        new LeaseReconciler(
            store, candidates -> Set.of(), Clock.systemUTC(), Duration.ofMillis(300))) {
      reconciler.reconcileAtStart();
      assertEquals(List.of("GPU-0"), uuids(store.holders()), "young: kept at start");
      store.acquire(B, List.of("GPU-1"));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (store.holders().stream().anyMatch(l -> l.owner().equals(A))
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertEquals(List.of("GPU-1"), uuids(store.holders()));
      // B is older than its grace period by now, but was taken after the start: left to cleanup.
      Thread.sleep(1500);
      assertEquals(List.of("GPU-1"), uuids(store.holders()));
    }
  }

  @Test
  void nothingToDoWithoutLeases() {
    AtomicInteger calls = new AtomicInteger();
    try (LeaseReconciler reconciler =
        new LeaseReconciler(
            storeAt(T0),
            candidates -> {
              calls.incrementAndGet();
              return Set.of();
            },
            Clock.systemUTC(),
            Duration.ofMinutes(2))) {
      reconciler.reconcileAtStart();
    }
    assertEquals(0, calls.get());
    assertTrue(storeAt(T0).holders().isEmpty());
  }
}
