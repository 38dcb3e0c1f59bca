package org.llenergymeasure.campaign.worker.host;

import io.temporal.activity.ActivityExecutionContext;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Heartbeats a step (without details) from one side thread, every {@code period}, while it works. A
 * canceled or timed-out step learns it from its own result, so a refused heartbeat is ignored.
 */
final class StepHeartbeats implements AutoCloseable {

  /** Well inside the 30 s heartbeat timeout of the short steps (RunActivityOptions). */
  static final Duration PERIOD = Duration.ofSeconds(3);

  private final long periodMs;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "llem-step-heartbeats");
            t.setDaemon(true);
            return t;
          });

  StepHeartbeats(Duration period) {
    this.periodMs = period.toMillis();
  }

  /** Heartbeats {@code context} until the returned beat is closed. */
  Beat start(ActivityExecutionContext context) {
    ScheduledFuture<?> beats =
        timer.scheduleAtFixedRate(
            () -> {
              try {
                context.heartbeat(null);
              } catch (RuntimeException ignored) {
                // canceled or timed out: the step itself learns it from its own result
              }
            },
            periodMs,
            periodMs,
            TimeUnit.MILLISECONDS);
    return () -> beats.cancel(false);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** A step's heartbeats; closing stops them. */
  interface Beat extends AutoCloseable {
    @Override
    void close();
  }
}
