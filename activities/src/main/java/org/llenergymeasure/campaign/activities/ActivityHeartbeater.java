package org.llenergymeasure.campaign.activities;

import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.TimeoutFailure;
import java.util.function.Consumer;
import org.llenergymeasure.campaign.activities.container.Heartbeater;
import org.llenergymeasure.campaign.workflows.host.AwaitProgress;

/**
 * The Temporal side of a {@link Heartbeater}: sends the progress through the activity context and
 * tells a cancellation of the run apart from the end of this try of the activity.
 *
 * <ul>
 *   <li>{@link ActivityCanceledException} without a cause: the server answered a heartbeat with a
 *       cancellation request (the run was skipped or the campaign canceled): {@link
 *       RunCanceledException}, and the run's container or process is removed.
 *   <li>{@link ActivityCanceledException} caused by a heartbeat {@link TimeoutFailure}: the SDK
 *       raises it itself when no heartbeat has reached the server for the heartbeat timeout plus a
 *       few seconds, so the server has timed this try out: not a cancellation. {@link
 *       AttemptAbandonedException}, and the run is left alone for the retry.
 *   <li>Every other {@link ActivityCompletionException} (the activity no longer exists, was reset
 *       or paused, the worker shuts down): {@link AttemptAbandonedException} as well.
 * </ul>
 */
public final class ActivityHeartbeater implements Heartbeater {

  private final Consumer<AwaitProgress> send;

  /**
   * @param send the activity context's heartbeat
   */
  public ActivityHeartbeater(Consumer<AwaitProgress> send) {
    this.send = send;
  }

  @Override
  public void heartbeat(AwaitProgress progress) {
    try {
      send.accept(progress);
    } catch (ActivityCanceledException canceled) {
      if (isHeartbeatTimeout(canceled)) {
        throw new AttemptAbandonedException(
            "await abandoned: its heartbeats did not reach the server within the heartbeat"
                + " timeout, so this try is over; the run keeps going for the next try",
            canceled);
      }
      throw new RunCanceledException("the run was canceled", canceled);
    } catch (ActivityCompletionException gone) {
      throw new AttemptAbandonedException(
          "await abandoned: " + gone.getMessage() + "; the run keeps going for the next try", gone);
    }
  }

  /** Whether the SDK raised this for its local heartbeat timeout (not a cancellation request). */
  static boolean isHeartbeatTimeout(ActivityCanceledException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      // The SDK (1.38) raises it with TIMEOUT_TYPE_HEARTBEAT; a cancellation request never has a
      // timeout for its cause, whatever the type.
      if (t instanceof TimeoutFailure) {
        return true;
      }
    }
    return false;
  }
}
