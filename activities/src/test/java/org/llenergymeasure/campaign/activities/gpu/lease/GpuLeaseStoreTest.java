package org.llenergymeasure.campaign.activities.gpu.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.RunFailureException;

class GpuLeaseStoreTest {

  static final String G0 = "GPU-0a1b2c3d-1111-4e5f-8a9b-000000000000";
  static final String G1 = "GPU-1b2c3d4e-2222-4f60-9bac-111111111111";
  static final String G2 = "GPU-2c3d4e5f-3333-4071-acbd-222222222222";

  static final LeaseOwner A = new LeaseOwner("camp", "llama.c1", 1);
  static final LeaseOwner A2 = new LeaseOwner("camp", "llama.c1", 2);
  static final LeaseOwner B = new LeaseOwner("camp", "mistral.c1", 1);

  @TempDir Path home;

  private final Clock t1 = Clock.fixed(Instant.parse("2025-01-01T10:00:00Z"), ZoneOffset.UTC);
  private final Clock t2 = Clock.fixed(Instant.parse("2025-01-01T11:00:00Z"), ZoneOffset.UTC);

  private GpuLeaseStore store(Clock clock) {
    return new GpuLeaseStore(home.resolve("leases").resolve("node-1.json"), "node-1", clock);
  }

  @Test
  void acquireAndReleaseArePersistedInTheHostsFile() {
    GpuLeaseStore store = GpuLeaseStore.forHost(home, "node-1");
    List<GpuLease> granted = store.acquire(A, List.of(G0, G1));
    assertEquals(List.of(G0, G1), granted.stream().map(GpuLease::uuid).toList());
    assertTrue(Files.exists(home.resolve("leases/node-1.json")));
    // Another instance (another process) sees them.
    assertEquals(2, GpuLeaseStore.forHost(home, "node-1").holders().size());
    assertEquals(2, store.release(A).size());
    assertEquals(List.of(), store.holders());
    assertEquals(List.of(), store.release(A), "releasing twice is harmless");
  }

  @Test
  void acquireIsIdempotentForTheSameOwner() {
    List<GpuLease> first = store(t1).acquire(A, List.of(G0));
    List<GpuLease> again = store(t2).acquire(A, List.of(G0));
    assertEquals(first, again);
    assertEquals("2025-01-01T10:00:00Z", again.get(0).acquiredAt());
    assertEquals(1, store(t1).holders().size());
  }

  @Test
  void anotherOwnerIsRefusedNamingTheHolderAndNothingIsGranted() {
    store(t1).acquire(A, List.of(G1));
    RunFailureException e =
        assertThrows(RunFailureException.class, () -> store(t2).acquire(B, List.of(G0, G1)));
    assertEquals("GpuBusy", e.type());
    assertTrue(e.retryable());
    assertTrue(e.getMessage().contains(G1), e.getMessage());
    assertTrue(
        e.getMessage().contains("run llama.c1 (attempt 1) of campaign camp"), e.getMessage());
    assertTrue(e.getMessage().contains("2025-01-01T10:00:00Z"), e.getMessage());
    assertTrue(e.getMessage().contains("node-1"), e.getMessage());
    // All or nothing: G0 was free but is not granted.
    assertEquals(List.of(new GpuLease(G1, A, "2025-01-01T10:00:00Z")), store(t1).holders());
  }

  @Test
  void aNewAttemptIsAnotherOwner() {
    store(t1).acquire(A, List.of(G0));
    assertThrows(RunFailureException.class, () -> store(t1).acquire(A2, List.of(G0)));
    store(t1).release(A);
    assertEquals(1, store(t1).acquire(A2, List.of(G0)).size());
  }

  @Test
  void theOwnerHoldsExactlyWhatItAskedForLast() {
    store(t1).acquire(A, List.of(G0, G1));
    store(t2).acquire(A, List.of(G1, G2));
    assertEquals(
        Set.of(G1, G2), Set.copyOf(store(t1).holders().stream().map(GpuLease::uuid).toList()));
    assertEquals(Set.of(G1, G2), store(t1).leasedByOthers(B));
    assertEquals(Set.of(), store(t1).leasedByOthers(A));
  }

  @Test
  void reconcileDropsDeadOwners() {
    store(t1).acquire(A, List.of(G0));
    store(t1).acquire(B, List.of(G1));
    List<GpuLease> dropped = store(t1).reconcile(Set.of(B));
    assertEquals(List.of(new GpuLease(G0, A, "2025-01-01T10:00:00Z")), dropped);
    assertEquals(List.of(new GpuLease(G1, B, "2025-01-01T10:00:00Z")), store(t1).holders());
  }

  @Test
  void aCorruptFileIsNamed() throws IOException {
    Path file = home.resolve("leases/node-1.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{not json");
    LeaseStoreException e = assertThrows(LeaseStoreException.class, () -> store(t1).holders());
    assertTrue(e.getMessage().contains(file.toAbsolutePath().toString()), e.getMessage());
  }
}
