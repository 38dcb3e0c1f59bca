package org.llenergymeasure.campaign.workflows.campaign;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a campaign stands, as cli-contract.md names it ("Campaign states"): the {@code state} of
 * the progress query, of the campaign's result, of {@code status} and {@code list}, and the value
 * of the {@code LlemStatus} search attribute. It travels as its label, never as the constant's
 * name.
 */
public enum CampaignStatus {
  RUNNING("running"),
  /** By a user or the circuit breaker; the progress says why. */
  PAUSED("paused"),
  /** Every run reached a final status; some may have failed. */
  COMPLETED("completed"),
  /** Stopped by {@code failFast}. */
  FAILED("failed"),
  CANCELED("canceled");

  private final String label;

  CampaignStatus(String label) {
    this.label = label;
  }

  @JsonValue
  public String label() {
    return label;
  }

  @JsonCreator
  public static CampaignStatus of(String label) {
    for (CampaignStatus s : values()) {
      if (s.label.equals(label)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown campaign state '" + label + "'");
  }

  /** The label, so that text that shows a state reads as it always did. */
  @Override
  public String toString() {
    return label;
  }
}
