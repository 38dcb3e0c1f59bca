package org.llenergymeasure.campaign.activities.gpu.lease;

/**
 * The run attempt that holds GPUs. The attempt is part of the owner: a new attempt routes anew, and
 * the leases of a dead attempt must not be mistaken for the live one's.
 */
public record LeaseOwner(String campaign, String runId, int attempt) {

  @Override
  public String toString() {
    return "run " + runId + " (attempt " + attempt + ") of campaign " + campaign;
  }
}
