package org.llenergymeasure.campaign.workflows.host;

import java.util.Map;

/**
 * What the ledger now says of the attempt.
 *
 * @param status "completed" or "failed"
 * @param failure null when completed; ResultMissing / ResultInvalid found by collect, or the
 *     failure it was given
 * @param resultSummary a few top-level numeric fields of the result file (never the whole file)
 */
public record CollectResult(
    String status, RunFailure failure, String resultDir, Map<String, Object> resultSummary) {}
