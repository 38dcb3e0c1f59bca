package org.llenergymeasure.campaign.activities;

/**
 * The worker is shutting down (the activity thread was interrupted). The run's container is left
 * running on purpose: a retry of the activity on the next worker re-attaches to it. The thread's
 * interrupt flag is set again before this is thrown.
 */
public class WorkerShutdownException extends RuntimeException {

  public WorkerShutdownException(String message, Throwable cause) {
    super(message, cause);
  }
}
