package org.llenergymeasure.campaign.activities.gpu.routing;

/**
 * A routing refused, with a stable type from {@code FailureTypes} (InvalidGpuSelection,
 * MigSelection, ParallelismMismatch, RoutingConflict, GpuBusy) and a message that says what was
 * wrong and what would be valid. Only a busy GPU under {@code busy: wait} (or a lease held by
 * another run) is retryable.
 */
public class RoutingException extends RuntimeException {

  private final String type;
  private final boolean retryable;

  public RoutingException(String type, String message, boolean retryable) {
    super(message);
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
    return type + (retryable ? " (retryable)" : "") + ": " + getMessage();
  }
}
