package org.llenergymeasure.campaign.workflows.host;

/**
 * Which run attempt an activity works on. {@code attempt} is the ExperimentWorkflow's own attempt
 * counter (from 1), never Temporal's activity attempt: it names the container and the results
 * folder, so a retried activity finds what its previous try made.
 */
public record RunRef(String campaign, String runId, String experiment, int cycle, int attempt) {

  /** {@code <campaign>/<runId>/a<attempt>}: the attempt's folder under the results root. */
  public String resultPath() {
    return campaign + "/" + runId + "/a" + attempt;
  }
}
