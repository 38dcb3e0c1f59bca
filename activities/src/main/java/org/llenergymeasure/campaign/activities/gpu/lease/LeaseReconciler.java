package org.llenergymeasure.campaign.activities.gpu.lease;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees the GPU leases of runs that are gone, so that a crashed worker's leases do not block their
 * GPUs forever. At worker start it drops every lease whose run attempt has no live container on
 * this host and is older than the grace period ({@link StaleLeases}); leases still within their
 * grace period are looked at again once it is over, and only those: leases this worker takes later
 * are released by their runs' cleanup as usual.
 */
public final class LeaseReconciler implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LeaseReconciler.class);

  /**
   * One pass.
   *
   * @param dropped the leases removed from the file
   * @param keptForNow attempts without a live container whose leases are still in their grace
   *     period
   * @param recheckAt when to look at {@code keptForNow} again; empty when it is empty
   */
  public record Result(
      List<GpuLease> dropped, Set<LeaseOwner> keptForNow, Optional<Instant> recheckAt) {
    public Result {
      dropped = List.copyOf(dropped);
      keptForNow = Set.copyOf(keptForNow);
    }
  }

  private final GpuLeaseStore store;
  private final LiveRuns liveRuns;
  private final Clock clock;
  private final Duration grace;
  private ScheduledExecutorService timer;

  public LeaseReconciler(GpuLeaseStore store, LiveRuns liveRuns, Clock clock, Duration grace) {
    this.store = store;
    this.liveRuns = liveRuns;
    this.clock = clock;
    this.grace = grace;
  }

  /**
   * One pass over the leases of {@code only} (null: every lease of the host). The live containers
   * are listed first, outside the lease lock; a lease taken after that listing is younger than the
   * grace period and therefore kept.
   *
   * @throws RuntimeException when the containers cannot be listed; nothing is dropped then
   */
  public Result reconcile(Set<LeaseOwner> only) {
    Set<LeaseOwner> owners =
        store.holders().stream()
            .map(GpuLease::owner)
            .filter(o -> only == null || only.contains(o))
            .collect(Collectors.toSet());
    Set<LeaseOwner> live = liveRuns.liveAmong(owners);
    StaleLeases.Decision[] decision = new StaleLeases.Decision[1];
    List<GpuLease> dropped =
        store.dropOwners(
            leases -> {
              List<GpuLease> considered =
                  only == null
                      ? leases
                      : leases.stream().filter(l -> only.contains(l.owner())).toList();
              decision[0] = StaleLeases.decide(considered, live, clock.instant(), grace);
              return decision[0].drop();
            });
    for (GpuLease lease : dropped) {
      log.warn(
          "dropped the stale GPU lease of {} on {} (leased since {}): its run is no longer in"
              + " progress and the lease is older than {} s",
          lease.owner(),
          lease.uuid(),
          lease.acquiredAt(),
          grace.toSeconds());
    }
    return new Result(dropped, decision[0].keptForNow(), decision[0].recheckAt());
  }

  /**
   * The pass at worker start over the leases found then, plus later passes for the attempts it kept
   * for now (leases taken after the start are never judged here). A failing pass (the engine cannot
   * list containers) is logged and retried after the grace period: the worker starts anyway, and a
   * busy GPU is better than a GPU given twice.
   */
  public synchronized void reconcileAtStart() {
    Set<LeaseOwner> atStart =
        store.holders().stream().map(GpuLease::owner).collect(Collectors.toSet());
    if (!atStart.isEmpty()) {
      pass(atStart);
    }
  }

  private synchronized void pass(Set<LeaseOwner> only) {
    Result result;
    try {
      result = reconcile(only);
    } catch (RuntimeException e) {
      log.warn(
          "cannot check the GPU leases of this host for crashed runs ({}); trying again in {} s",
          e.getMessage(),
          grace.toSeconds());
      schedule(only, grace);
      return;
    }
    if (result.recheckAt().isPresent()) {
      log.info(
          "GPU leases of {} have no container yet; looking again at {}",
          result.keptForNow(),
          result.recheckAt().get());
      Duration wait = Duration.between(clock.instant(), result.recheckAt().get());
      schedule(result.keptForNow(), wait.isNegative() ? Duration.ZERO : wait);
    }
  }

  private void schedule(Set<LeaseOwner> only, Duration after) {
    if (timer == null) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "llem-lease-reconciler");
                t.setDaemon(true);
                return t;
              });
    }
    if (!timer.isShutdown()) {
      // pass() logs and reschedules its own failures: the future never holds one to look at.
      ScheduledFuture<?> unused =
          timer.schedule(() -> pass(only), after.toMillis() + 1000, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
