package org.llenergymeasure.campaign.workflows.run;

import java.util.List;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.PlannedRun;

/**
 * Everything an ExperimentWorkflow needs: the run, its fully merged experiment (small), how GPUs
 * are attached, and the hosts it may be routed to (a pinned {@code host:} wins).
 *
 * @param totalRuns the campaign's planned run count, for readable summaries ("run 3/12")
 * @param firstAttempt the attempt number to start from: 1, or after {@code retryFailed} the one
 *     after the run's last, so a new attempt never reuses an old container name or ledger key
 */
public record RunInput(
    String campaign,
    PlannedRun run,
    Experiment experiment,
    AttachMode attach,
    List<String> candidateHosts,
    int totalRuns,
    int firstAttempt) {

  public RunInput {
    candidateHosts = List.copyOf(candidateHosts);
  }
}
