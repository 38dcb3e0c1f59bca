package org.llenergymeasure.campaign.workflows.host;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.llenergymeasure.campaign.config.Experiment;

/**
 * Record a finished attempt: save its log, read its result file when it ran to the end, append
 * exactly one ledger line.
 *
 * @param failure why the attempt failed before collect, or null when await returned normally
 * @param verifiedUuids null when verification did not pass
 * @param metric the metric whose value collect returns (an adaptive {@code cycles.until}'s); null
 *     when none is wanted (and in histories written before it)
 */
public record CollectRequest(
    RunRef run,
    Experiment experiment,
    GpuRouting routing,
    String handle,
    java.util.List<String> verifiedUuids,
    RunFailure failure,
    long startedAtMillis,
    long finishedAtMillis,
    @JsonInclude(JsonInclude.Include.NON_NULL) String metric) {

  /** A request that wants no metric value back. */
  public CollectRequest(
      RunRef run,
      Experiment experiment,
      GpuRouting routing,
      String handle,
      java.util.List<String> verifiedUuids,
      RunFailure failure,
      long startedAtMillis,
      long finishedAtMillis) {
    this(
        run,
        experiment,
        routing,
        handle,
        verifiedUuids,
        failure,
        startedAtMillis,
        finishedAtMillis,
        null);
  }
}
