package org.llenergymeasure.campaign.worker.cli;

import org.llenergymeasure.campaign.worker.campaign.CampaignControl;
import picocli.CommandLine.Command;

@Command(
    name = "pause",
    mixinStandardHelpOptions = true,
    description = {
      "Pause a campaign: no new run starts; runs in progress finish. `resume` continues it."
    },
    footer = {
      "",
      "Examples:",
      "  llem-campaign pause quickstart",
      "  llem-campaign pause quickstart --json"
    })
final class PauseCommand extends CampaignChangeCommand {

  @Override
  String apply(CampaignControl control) {
    control.update(campaign, "pause");
    return "campaign "
        + campaign
        + " paused; runs in progress finish, none starts until `llem-campaign resume "
        + campaign
        + "`";
  }
}
