package org.llenergymeasure.campaign.workflows.host;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Why a run attempt failed: a stable type from FailureTypes and a readable message.
 *
 * @param retryable whether a new attempt may succeed, when the activity that found the failure
 *     decided it (e.g. {@code ExperimentError}: retried unless llenergymeasure itself refused its
 *     configuration); null = decided by the type ({@code FailureTypes.ATTEMPT_RETRYABLE}), which is
 *     what every failure recorded before this field existed reads as. Not written when null, so the
 *     usual failure travels exactly as before.
 */
public record RunFailure(
    String type, String message, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean retryable) {

  /** A failure whose retry is decided by its type. */
  public RunFailure(String type, String message) {
    this(type, message, null);
  }
}
