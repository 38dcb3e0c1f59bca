package org.llenergymeasure.campaign.activities.progress;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.llenergymeasure.campaign.activities.container.Heartbeater;
import org.llenergymeasure.campaign.workflows.host.AwaitProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes an await's heartbeats on and tells the run's workflow its newest progress step, so the
 * run's page in the Web UI shows it: at most one signal every {@link #EVERY}, at most {@link #CAP}
 * per try of await (each signal is a few events in the run's history), and only when the step
 * changed; a step that changes faster is skipped, the newest one is sent once the interval has
 * passed (every heartbeat offers the latest). Signals go from a thread of their own, never the
 * heartbeat's, and a failed one is logged and forgotten: display only, it never fails the run.
 */
public final class StepSignals implements Heartbeater, AutoCloseable {

  /** The shortest time between two signals of one run. */
  public static final Duration EVERY = Duration.ofSeconds(5);

  /** The most signals one try of await sends. */
  public static final int CAP = 200;

  private static final Logger log = LoggerFactory.getLogger(StepSignals.class);

  private final Heartbeater heartbeats;
  private final Consumer<String> send;
  private final LongSupplier clock;
  private final Duration every;
  private final int cap;
  private final String run;
  private final ExecutorService sender;
  private final AtomicBoolean sending = new AtomicBoolean();
  private String lastSent;
  private long lastSentAt;
  private int sent;

  /**
   * @param send signals the run's workflow with a step (blocking is fine: it runs on a thread of
   *     its own)
   * @param run names the run in log lines and the sender's thread
   */
  public StepSignals(
      Heartbeater heartbeats,
      Consumer<String> send,
      LongSupplier clock,
      Duration every,
      int cap,
      String run) {
    this.heartbeats = heartbeats;
    this.send = send;
    this.clock = clock;
    this.every = every;
    this.cap = cap;
    this.run = run;
    this.sender =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "step signals " + run);
              t.setDaemon(true);
              return t;
            });
  }

  /** Heartbeats first (its cancellation is thrown as before), then offers the step. */
  @Override
  public void heartbeat(AwaitProgress progress) {
    heartbeats.heartbeat(progress);
    if (progress != null) {
      offer(progress.step());
    }
  }

  /**
   * Sends the step if it is new, the interval has passed, the cap is not reached and none is in
   * flight.
   */
  synchronized void offer(String step) {
    if (step == null || step.isBlank() || step.equals(lastSent) || sent >= cap) {
      return;
    }
    long now = clock.getAsLong();
    if (sent > 0 && now - lastSentAt < every.toMillis()) {
      return;
    }
    if (!sending.compareAndSet(false, true)) {
      return; // the previous signal is still on its way; the next heartbeat offers again
    }
    lastSent = step;
    lastSentAt = now;
    sent++;
    try {
      sender.execute(
          () -> {
            try {
              send.accept(step);
            } catch (RuntimeException e) {
              log.info("could not show run {}'s step in its workflow: {}", run, e.toString());
            } finally {
              sending.set(false);
            }
          });
    } catch (RejectedExecutionException closed) {
      sending.set(false);
    }
  }

  /** Whether a signal is on its way. */
  boolean sending() {
    return sending.get();
  }

  /** Stops the sender; a signal on its way still goes, but is not waited for. */
  @Override
  public void close() {
    sender.shutdown();
  }
}
