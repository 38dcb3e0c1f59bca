package org.llenergymeasure.campaign.activities;

/**
 * This try of a waiting step is no longer the live one: its heartbeats stopped reaching the server
 * in time (the SDK's local heartbeat timeout), or the server no longer knows the activity (timed
 * out, or its workflow is gone). The step stops watching and leaves the run's container or process
 * alone: the workflow's retry of the step re-attaches to it.
 */
public class AttemptAbandonedException extends WorkerShutdownException {

  public AttemptAbandonedException(String message, Throwable cause) {
    super(message, cause);
  }
}
