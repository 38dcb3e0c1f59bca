package org.llenergymeasure.campaign.activities;

/**
 * A run step failed, or a routing was refused, for a reason with a stable type (one of {@code
 * FailureTypes}; routing's are InvalidGpuSelection, MigSelection, ParallelismMismatch,
 * RoutingConflict and GpuBusy) and a message that says what was wrong and what would be valid. The
 * Temporal wiring turns it into an {@code ApplicationFailure} of the same type; {@code retryable}
 * says whether an activity retry (same attempt, same container) can help: of the routing refusals,
 * only a busy GPU under {@code busy: wait} (or a lease held by another run) is.
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
  @SuppressWarnings("OverrideThrowableToString") // the type belongs in every logged stack trace
  public String toString() {
    return "RunFailureException[" + type + (retryable ? ", retryable" : "") + "]: " + getMessage();
  }
}
