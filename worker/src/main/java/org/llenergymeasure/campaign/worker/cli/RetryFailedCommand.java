package org.llenergymeasure.campaign.worker.cli;

import org.llenergymeasure.campaign.worker.campaign.CampaignControl;
import picocli.CommandLine.Command;

@Command(
    name = "retry-failed",
    mixinStandardHelpOptions = true,
    description = {
      "Run the campaign's failed runs again (each as a new attempt; earlier attempts stay in the"
          + " ledger). The campaign must still be running, e.g. paused by the circuit breaker."
    },
    footer = {
      "",
      "Examples:",
      "  llem-campaign retry-failed quickstart",
      "  llem-campaign retry-failed quickstart --json"
    })
final class RetryFailedCommand extends CampaignChangeCommand {

  @Override
  String apply(CampaignControl control) {
    control.update(campaign, "retryFailed");
    return "the failed runs of campaign " + campaign + " are queued again";
  }
}
