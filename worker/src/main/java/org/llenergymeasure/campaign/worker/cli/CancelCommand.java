package org.llenergymeasure.campaign.worker.cli;

import org.llenergymeasure.campaign.worker.campaign.CampaignControl;
import picocli.CommandLine.Command;

@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = {
      "Cancel a campaign: the run in progress is stopped and cleaned up (its container removed, its"
          + " GPUs released), no further run starts, and the campaign ends as canceled. Its results"
          + " so far stay. A canceled campaign is never run again (a new measurement = a new name)."
    },
    footer = {
      "",
      "Examples:",
      "  llem-campaign cancel quickstart",
      "  llem-campaign cancel quickstart --json"
    })
final class CancelCommand extends CampaignChangeCommand {

  @Override
  String apply(CampaignControl control) {
    control.cancel(campaign);
    return "cancellation of campaign "
        + campaign
        + " requested; `llem-campaign status "
        + campaign
        + "` shows when it has ended";
  }
}
