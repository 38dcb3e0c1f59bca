package org.llenergymeasure.campaign.workflows.host;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * What the ledger now says of the attempt.
 *
 * @param status "completed" or "failed"
 * @param failure null when completed; ResultMissing / ResultInvalid found by collect, or the
 *     failure it was given
 * @param resultSummary a few top-level numeric fields of the result file (never the whole file)
 * @param metric the requested metric's value for a completed attempt whose measurement is valid;
 *     null otherwise (none requested, a failed attempt, an invalid measurement)
 */
public record CollectResult(
    String status,
    RunFailure failure,
    String resultDir,
    Map<String, Object> resultSummary,
    @JsonInclude(JsonInclude.Include.NON_NULL) Double metric) {

  /** A result that carries no metric value. */
  public CollectResult(
      String status, RunFailure failure, String resultDir, Map<String, Object> resultSummary) {
    this(status, failure, resultDir, resultSummary, null);
  }
}
