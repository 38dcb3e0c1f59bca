package org.llenergymeasure.campaign.worker.cli;

import org.llenergymeasure.campaign.worker.campaign.CampaignControl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "skip",
    mixinStandardHelpOptions = true,
    description = {
      "Skip one run of a campaign: a pending run never starts, a running one is stopped and"
          + " cleaned up; it counts as skipped. Run ids are in `plan FILE` and `status CAMPAIGN`."
    },
    footer = {
      "",
      "Examples:",
      "  llem-campaign skip quickstart large-on-gpu3.c2",
      "  llem-campaign skip quickstart small-on-gpu0.c1 --json"
    })
final class SkipCommand extends CampaignChangeCommand {

  @Parameters(
      index = "1",
      paramLabel = "RUN_ID",
      description = "The run to skip, e.g. small-on-gpu0.c2.")
  String runId;

  @Override
  String apply(CampaignControl control) {
    control.update(campaign, "skip", runId);
    return "run " + runId + " of campaign " + campaign + " skipped";
  }
}
