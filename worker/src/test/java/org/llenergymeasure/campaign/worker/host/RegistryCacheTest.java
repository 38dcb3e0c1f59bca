package org.llenergymeasure.campaign.worker.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.activities.testing.MovableClock;
import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.config.HostsSpec;
import org.llenergymeasure.campaign.workflows.placement.Placement;
import org.llenergymeasure.campaign.workflows.placement.PlacementRequest;
import org.llenergymeasure.campaign.workflows.registry.HostRecord;
import org.llenergymeasure.campaign.workflows.registry.RegisteredGpu;

/**
 * A worker process's view of the host registry: one query per second at most whatever the number of
 * readers, and a placement's GPUs held in the view until the host could have reported its lease, so
 * placements made in the same second spread instead of all choosing the same GPUs.
 */
class RegistryCacheTest {

  private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<HostRecord> registry = new ArrayList<>();
  private int queries;

  private List<HostRecord> query() {
    queries++;
    return List.copyOf(registry);
  }

  private HostRecord host(String id, int gpus, String... leased) {
    List<RegisteredGpu> list = new ArrayList<>();
    for (int i = 0; i < gpus; i++) {
      list.add(
          new RegisteredGpu("GPU-" + id + "-" + i, i, "NVIDIA H100 80GB HBM3", 81_559L, List.of()));
    }
    long now = clock.millis();
    return new HostRecord(id, list, null, "dev", List.of(leased), List.of(), now, now, false);
  }

  @Test
  void oneQueryServesEveryReaderForASecondAndTheAgeCountsFromBeforeTheQuery() {
    registry.add(host("a", 2));
    RegistryCache view = new RegistryCache(this::query, clock);
    for (int i = 0; i < 100; i++) {
      view.hosts();
    }
    assertEquals(1, queries);
    clock.advance(Duration.ofMillis(999));
    view.hosts();
    assertEquals(1, queries);
    clock.advance(Duration.ofMillis(1));
    view.hosts();
    assertEquals(2, queries, "1 s after the last query the next read asks again");
    view.expire();
    view.hosts();
    assertEquals(3, queries, "expired on demand");
    assertEquals(3, view.reads());
  }

  @Test
  void aRegistryThatFailedIsAskedAgainOnlyASecondLaterAndEveryReaderInBetweenGetsTheFailure() {
    registry.add(host("a", 2));
    boolean[] down = {true};
    RegistryCache view =
        new RegistryCache(
            () -> {
              List<HostRecord> answer = query();
              if (down[0]) {
                throw new IllegalStateException("UNAVAILABLE: io exception");
              }
              return answer;
            },
            clock);
    for (int i = 0; i < 20; i++) {
      IllegalStateException e = assertThrows(IllegalStateException.class, view::hosts);
      assertEquals("UNAVAILABLE: io exception", e.getMessage());
    }
    assertEquals(1, queries, "twenty readers in the second after a failure: one query");
    down[0] = false;
    assertThrows(IllegalStateException.class, view::hosts, "still within the second");
    clock.advance(RegistryCache.MAX_AGE);
    assertEquals(1, view.hosts().size(), "asked again a second later, and it answers");
    assertEquals(2, queries);
  }

  @Test
  void concurrentReadersOfAnExpiredViewWaitForOneQuery() throws Exception {
    registry.add(host("a", 2));
    CountDownLatch inQuery = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RegistryCache view =
        new RegistryCache(
            () -> {
              inQuery.countDown();
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return query();
            },
            clock);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<HostRecord>>> reads = new ArrayList<>();
      reads.add(pool.submit(view::hosts));
      inQuery.await(10, TimeUnit.SECONDS);
      for (int i = 0; i < 7; i++) {
        reads.add(pool.submit(view::hosts));
      }
      release.countDown();
      for (Future<List<HostRecord>> r : reads) {
        assertEquals(1, r.get(10, TimeUnit.SECONDS).size());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, queries, "eight readers, one query");
  }

  @Test
  void placementsInTheSameSecondSpreadOverHostsInsteadOfPilingOntoOne() {
    // Fewest fitting free GPUs first: without holds, every placement before the hosts report
    // would choose host a, whose lease refuses all but the first.
    registry.add(host("a", 2));
    registry.add(host("b", 4));
    RegistryCache view = new RegistryCache(this::query, clock);
    PlacementActivitiesImpl placement = new PlacementActivitiesImpl(view);
    List<String> chosen = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      Placement p =
          placement.place(
              new PlacementRequest("r.c" + i, HostsSpec.anyHost(), GpuRequest.count(1, "*H100*")));
      chosen.add(p.candidates().isEmpty() ? "wait" : p.candidates().get(0));
    }
    assertEquals(List.of("a", "a", "b", "b", "b", "b"), chosen);
    assertEquals(1, queries);

    // The holds end after HOLD (the hosts have reported their leases by then, or the runs did
    // not take them): the registry's answer counts again.
    clock.advance(RegistryCache.HOLD);
    Placement again =
        placement.place(
            new PlacementRequest("r.c7", HostsSpec.anyHost(), GpuRequest.count(1, null)));
    assertEquals("a", again.candidates().get(0));
  }

  @Test
  void aHoldEndsOnceTheHostsRecordShowsTheLeaseSoAFinishedRunsGpusAreFreeAgainAtOnce() {
    registry.add(host("a", 1));
    RegistryCache view = new RegistryCache(this::query, clock);
    PlacementActivitiesImpl placement = new PlacementActivitiesImpl(view);
    PlacementRequest one = new PlacementRequest("r.c1", HostsSpec.anyHost(), GpuRequest.count(1));
    assertEquals(List.of("a"), placement.place(one).candidates());
    assertEquals(List.of(), placement.place(one).candidates(), "held: a's only GPU");

    registry.set(0, host("a", 1, "GPU-a-0")); // the run leased it and a reported
    clock.advance(RegistryCache.MAX_AGE);
    assertEquals(List.of(), placement.place(one).candidates(), "leased now, by the record");
    registry.set(0, host("a", 1)); // the run ended, a reported
    clock.advance(RegistryCache.MAX_AGE);
    assertEquals(
        List.of("a"),
        placement.place(one).candidates(),
        "the hold ended with the lease it stood for, long before HOLD");
  }

  @Test
  void aHostsOwnReportAnswerReplacesItsRecordUntilTheNextQuery() {
    registry.add(host("a", 2));
    RegistryCache view = new RegistryCache(this::query, clock);
    assertEquals(false, view.hosts().get(0).draining());
    HostRecord drained = host("a", 2);
    view.reported(
        new HostRecord(
            "a",
            drained.gpus(),
            null,
            "dev",
            List.of(),
            List.of(),
            drained.registeredAtMs(),
            drained.lastSeenMs(),
            true));
    assertEquals(true, view.hosts().get(0).draining(), "the report's answer is newer");
    view.reported(host("zz", 1));
    assertEquals(1, view.hosts().size(), "a host the view has not read is not added");
  }
}
