package org.llenergymeasure.campaign.worker.cli;

import org.llenergymeasure.campaign.worker.campaign.CampaignControl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "set-concurrency",
    mixinStandardHelpOptions = true,
    description = {
      "Change how many runs of a campaign may run at once (its execution.concurrency)."
    },
    footer = {"", "Example:", "  llem-campaign set-concurrency quickstart 2"})
final class ConcurrencyCommand extends CampaignChangeCommand {

  @Parameters(index = "1", paramLabel = "N", description = "Runs at once, at least 1.")
  int concurrency;

  @Override
  String apply(CampaignControl control) {
    control.update(campaign, "setConcurrency", concurrency);
    return "campaign " + campaign + " now runs up to " + concurrency + " run(s) at once";
  }
}
