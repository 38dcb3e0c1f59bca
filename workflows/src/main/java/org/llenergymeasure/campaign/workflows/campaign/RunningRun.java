package org.llenergymeasure.campaign.workflows.campaign;

import java.util.List;

/**
 * A run in progress.
 *
 * @param host null until the run is routed
 * @param since ISO-8601 instant the run started
 */
public record RunningRun(String runId, String host, List<String> gpus, int attempt, String since) {}
