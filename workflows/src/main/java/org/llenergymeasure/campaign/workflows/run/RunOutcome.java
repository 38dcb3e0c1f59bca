package org.llenergymeasure.campaign.workflows.run;

import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.workflows.host.RunFailure;

/**
 * The compact outcome of a run (its last attempt): never the result file or logs, which stay in
 * the ledger and the run folder.
 *
 * @param status "completed", "failed" or "canceled" (skipped while running, or the campaign was
 *     canceled; the campaign tells the two apart)
 * @param attempt the last attempt's number; 0 when canceled before the first attempt began
 * @param host the host that ran the last attempt; null if no host routed it
 * @param failure null when completed
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
    long finishedAtMillis) {

  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";
  public static final String CANCELED = "canceled";

  public RunOutcome {
    routedUuids = routedUuids == null ? List.of() : List.copyOf(routedUuids);
    verifiedUuids = verifiedUuids == null ? List.of() : List.copyOf(verifiedUuids);
    resultSummary = resultSummary == null ? Map.of() : resultSummary;
  }

  public boolean completed() {
    return COMPLETED.equals(status);
  }

  public boolean canceled() {
    return CANCELED.equals(status);
  }
}
