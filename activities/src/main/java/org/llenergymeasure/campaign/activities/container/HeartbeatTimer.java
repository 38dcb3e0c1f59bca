package org.llenergymeasure.campaign.activities.container;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.llenergymeasure.campaign.workflows.host.AwaitProgress;

/**
 * Heartbeats a waiting step's latest progress from a timer thread of its own, so that nothing the
 * step does (reading a flood of output, a slow engine call) can delay a heartbeat past the
 * activity's heartbeat timeout. The step hands in its progress with {@link #update}; what the
 * heartbeat threw (the run was canceled, or this try of the activity is no longer the live one) is
 * thrown to the step at its next {@link #update} or {@link #check}.
 */
public final class HeartbeatTimer implements AutoCloseable {

  private final Heartbeater heartbeater;
  private final ScheduledExecutorService timer;
  private volatile AwaitProgress latest;
  private volatile RuntimeException stop;

  /**
   * Starts heartbeating {@code first} at once, then the latest progress every {@code every}.
   *
   * @param name names the timer thread (the run's handle)
   */
  public HeartbeatTimer(Heartbeater heartbeater, Duration every, AwaitProgress first, String name) {
    this.heartbeater = heartbeater;
    this.latest = first;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "heartbeat " + name);
              t.setDaemon(true);
              return t;
            });
    long millis = Math.max(1, every.toMillis());
    timer.scheduleWithFixedDelay(this::beat, 0, millis, TimeUnit.MILLISECONDS);
  }

  private void beat() {
    if (stop != null) {
      return;
    }
    try {
      heartbeater.heartbeat(latest);
    } catch (RuntimeException e) {
      stop = e;
    }
  }

  /** The progress the next heartbeat reports; throws what a heartbeat threw. */
  public void update(AwaitProgress progress) {
    latest = progress;
    check();
  }

  /** Throws what a heartbeat threw (cancellation, or the end of this try), if anything. */
  public void check() {
    RuntimeException e = stop;
    if (e != null) {
      throw e;
    }
  }

  /** Stops the timer, then heartbeats the final progress on the calling thread. */
  public void finish(AwaitProgress progress) {
    close();
    check();
    heartbeater.heartbeat(progress);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
