package org.llenergymeasure.campaign.worker.cli;

import org.llenergymeasure.campaign.worker.campaign.CampaignControl;
import picocli.CommandLine.Command;

@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    description = {"Resume a paused campaign (paused by a user or by the circuit breaker)."},
    footer = {
      "",
      "Examples:",
      "  llem-campaign resume quickstart",
      "  llem-campaign resume quickstart --json"
    })
final class ResumeCommand extends CampaignChangeCommand {

  @Override
  String apply(CampaignControl control) {
    control.update(campaign, "resume");
    return "campaign " + campaign + " resumed";
  }
}
