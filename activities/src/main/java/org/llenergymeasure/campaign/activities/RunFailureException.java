package org.llenergymeasure.campaign.activities;

/**
 * A run step failed for a reason with a stable type (one of {@code FailureTypes}). The Temporal
 * wiring turns it into an {@code ApplicationFailure} of the same type; {@code retryable} says
 * whether an activity retry (same attempt, same container) can help.
 */
public class RunFailureException extends RuntimeException {

  private final String type;
  private final boolean retryable;

  public RunFailureException(String type, String message, boolean retryable) {
    super(message);
    this.type = type;
    this.retryable = retryable;
  }

  public RunFailureException(String type, String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.type = type;
    this.retryable = retryable;
  }

  public String type() {
    return type;
  }

  public boolean retryable() {
    return retryable;
  }

  @Override
  public String toString() {
    return "RunFailureException[" + type + (retryable ? ", retryable" : "") + "]: " + getMessage();
  }
}
