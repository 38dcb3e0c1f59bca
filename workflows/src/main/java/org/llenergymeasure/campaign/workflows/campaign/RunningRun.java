package org.llenergymeasure.campaign.workflows.campaign;

import java.util.List;

/**
 * A run in progress.
 *
 * @param host null until the run is routed (or its pinned host)
 * @param gpus the routed GPU UUIDs; empty until routed
 * @param attempt the attempt now running (counts from 1)
 * @param since ISO-8601 instant the run started
 */
public record RunningRun(String runId, String host, List<String> gpus, int attempt, String since) {

  public RunningRun {
    gpus = gpus == null ? List.of() : List.copyOf(gpus);
  }
}
