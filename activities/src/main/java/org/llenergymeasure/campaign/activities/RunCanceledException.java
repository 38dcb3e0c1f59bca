package org.llenergymeasure.campaign.activities;

/**
 * Temporal said the activity was canceled (the heartbeat answered with a cancellation). The
 * container side stops and removes the run's container before rethrowing it.
 */
public class RunCanceledException extends RuntimeException {

  public RunCanceledException(String message) {
    super(message);
  }

  public RunCanceledException(String message, Throwable cause) {
    super(message, cause);
  }
}
