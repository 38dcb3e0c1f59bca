package org.llenergymeasure.campaign.worker.host;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.llenergymeasure.campaign.activities.HostDrain;
import org.llenergymeasure.campaign.workflows.registry.HostRecord;
import org.llenergymeasure.campaign.workflows.registry.HostReport;
import org.llenergymeasure.campaign.workflows.registry.RegisteredGpu;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this host's record in the registry: reports at start, whenever its leases or quarantined
 * GPUs change (looked at every 2 s), and every 30 s as a keep-alive. It is also the host's {@link
 * HostDrain}: routing reads the process's view of the registry ({@link RegistryCache}, at most 1 s
 * old), falling back to the last report's answer. A registry it cannot reach is logged, never
 * thrown: runs go on without it.
 */
public final class HostReporter implements HostDrain, AutoCloseable {

  /** A report at least this often, so the host is not stale (HostState.STALE_AFTER is 2 min). */
  public static final Duration KEEP_ALIVE = Duration.ofSeconds(30);

  /** How often the lease and quarantine files are looked at for a change. */
  static final Duration LOOK_EVERY = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(HostReporter.class);

  private final String hostId;
  private final Registry registry;
  private final RegistryCache view;
  private final HostSnapshot snapshot;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private List<RegisteredGpu> gpus;
  private HostSnapshot.Marks reported;
  private long reportedAtMs;
  private volatile boolean lastAnswerDraining;
  private volatile String lastProblem;
  private boolean closed;

  /** The registry calls a reporter makes ({@link HostRegistryClient}). */
  interface Registry {
    HostRecord report(HostReport report);

    void forget(String hostId);
  }

  HostReporter(
      String hostId, Registry registry, RegistryCache view, HostSnapshot snapshot, Clock clock) {
    this.hostId = hostId;
    this.registry = registry;
    this.view = view;
    this.snapshot = snapshot;
    this.clock = clock;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "llem-host-registry");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Reports at once (the worker's registration, in the background), then on change and every 30 s.
   */
  HostReporter start() {
    ScheduledFuture<?> unused =
        timer.scheduleWithFixedDelay(this::tick, 0, LOOK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** One look: report when the marks changed or the keep-alive is due. Never throws. */
  synchronized void tick() {
    try {
      HostSnapshot.Marks marks = snapshot.marks();
      long now = clock.millis();
      boolean keepAlive = gpus == null || now - reportedAtMs >= KEEP_ALIVE.toMillis();
      if (!keepAlive && marks.equals(reported)) {
        return;
      }
      if (keepAlive) {
        gpus = snapshot.gpus();
      }
      HostRecord answer = registry.report(snapshot.report(gpus, marks));
      view.reported(answer);
      if (answer.draining() != lastAnswerDraining || reported == null) {
        log.info(
            "host {}: registered with the host registry ({} GPUs){}",
            hostId,
            gpus.size(),
            answer.draining() ? "; it is DRAINING: no new run starts here" : "");
      }
      lastAnswerDraining = answer.draining();
      reported = marks;
      reportedAtMs = now;
      if (lastProblem != null) {
        log.info("host {}: the host registry answers again", hostId);
        lastProblem = null;
      }
    } catch (RuntimeException e) {
      problem("could not report to the host registry", e);
      // A failed keep-alive is tried again at the next look, not in 30 s.
      reportedAtMs = 0;
    }
  }

  /**
   * The registry's answer as this process last read it (a drain takes effect here within {@link
   * RegistryCache#MAX_AGE}), else the last report's answer.
   */
  @Override
  public boolean draining() {
    try {
      boolean now =
          view.hosts().stream()
              .filter(h -> h.hostId().equals(hostId))
              .findFirst()
              .map(HostRecord::draining)
              .orElse(lastAnswerDraining);
      lastAnswerDraining = now;
      return now;
    } catch (RuntimeException e) {
      problem("could not ask the host registry whether this host drains", e);
      return lastAnswerDraining;
    }
  }

  /**
   * Stops reporting. A drained host (drain in force, nothing leased) leaves the registry: a worker
   * stopped after a drain leaves nothing behind; started again, it registers afresh.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    // Stopped before taking the lock: a report stuck on an unreachable server is interrupted.
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      try {
        // Asked now: a drain since the last report is known only to the registry.
        view.expire();
        if (draining() && snapshot.marks().leased().isEmpty()) {
          registry.forget(hostId);
          log.info("host {}: drained and stopped; removed from the host registry", hostId);
        }
      } catch (RuntimeException e) {
        problem("could not remove the drained host from the host registry", e);
      }
    }
  }

  private void problem(String what, RuntimeException e) {
    String message = what + ": " + e.getMessage();
    if (!message.equals(lastProblem)) {
      log.warn("host {}: {} (runs go on without it)", hostId, message);
      lastProblem = message;
    }
  }
}
