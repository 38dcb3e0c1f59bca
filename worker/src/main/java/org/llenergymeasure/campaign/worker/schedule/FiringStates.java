package org.llenergymeasure.campaign.worker.schedule;

import io.temporal.client.WorkflowClient;
import org.llenergymeasure.campaign.worker.BadInput;
import org.llenergymeasure.campaign.worker.campaign.CampaignLookup;

/** A firing's campaign state, from what the server keeps (no worker needed). */
final class FiringStates {

  static final String STARTING = "starting";

  private final CampaignLookup lookup;

  FiringStates(WorkflowClient client, String address) {
    this.lookup = new CampaignLookup(client, address);
  }

  String of(String campaign) {
    try {
      return CampaignLookup.stateOf(lookup.find(campaign)).label();
    } catch (BadInput notYet) {
      // The firing has started and its campaign not yet.
      return STARTING;
    }
  }
}
