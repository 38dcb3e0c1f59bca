package org.llenergymeasure.campaign.workflows.run;

/**
 * The {@code runStep} signal: a running attempt's newest progress step, sent by its await activity
 * (rate-limited) so the run's page in the Web UI shows it. Display only.
 *
 * @param attempt the ExperimentWorkflow attempt whose await sent it (a late one from an earlier
 *     attempt is ignored)
 * @param step the short step text, secrets masked
 */
public record RunStep(int attempt, String step) {}
