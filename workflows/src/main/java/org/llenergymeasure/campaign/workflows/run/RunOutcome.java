package org.llenergymeasure.campaign.workflows.run;

import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.workflows.host.QuarantinedGpu;
import org.llenergymeasure.campaign.workflows.host.RunFailure;

/**
 * The compact outcome of a run (its last attempt): never the result file or logs, which stay in the
 * ledger and the run folder.
 *
 * @param status "completed", "failed" or "canceled" (skipped while running, or the campaign was
 *     canceled; the campaign tells the two apart)
 * @param attempt the last attempt's number; 0 when canceled before the first attempt began
 * @param host the host that ran the last attempt; null if no host routed it
 * @param failure null when completed
 * @param quarantined GPUs that this run's cleanups (any attempt) left quarantined: a process still
 *     on them or their memory not back; empty when every cleanup found them clean
 */
public record RunOutcome(
    String runId,
    String status,
    int attempt,
    String host,
    RunFailure failure,
    List<String> routedUuids,
    List<String> verifiedUuids,
    Map<String, Object> resultSummary,
    long startedAtMillis,
    long finishedAtMillis,
    List<QuarantinedGpu> quarantined) {

  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";
  public static final String CANCELED = "canceled";

  public RunOutcome {
    routedUuids = routedUuids == null ? List.of() : List.copyOf(routedUuids);
    verifiedUuids = verifiedUuids == null ? List.of() : List.copyOf(verifiedUuids);
    resultSummary = resultSummary == null ? Map.of() : resultSummary;
    quarantined = quarantined == null ? List.of() : List.copyOf(quarantined);
  }

  /** An outcome without quarantined GPUs (the form before GPU hygiene). */
  public RunOutcome(
      String runId,
      String status,
      int attempt,
      String host,
      RunFailure failure,
      List<String> routedUuids,
      List<String> verifiedUuids,
      Map<String, Object> resultSummary,
      long startedAtMillis,
      long finishedAtMillis) {
    this(
        runId,
        status,
        attempt,
        host,
        failure,
        routedUuids,
        verifiedUuids,
        resultSummary,
        startedAtMillis,
        finishedAtMillis,
        List.of());
  }

  public RunOutcome withQuarantined(List<QuarantinedGpu> gpus) {
    return new RunOutcome(
        runId,
        status,
        attempt,
        host,
        failure,
        routedUuids,
        verifiedUuids,
        resultSummary,
        startedAtMillis,
        finishedAtMillis,
        gpus);
  }

  public boolean completed() {
    return COMPLETED.equals(status);
  }

  public boolean canceled() {
    return CANCELED.equals(status);
  }
}
