package org.llenergymeasure.campaign.worker.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.worker.campaign.CampaignStatusReader;
import org.llenergymeasure.campaign.worker.server.ServerSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "The campaigns on the server, newest first, with their state and run totals. Reads the"
          + " server's search attributes only, so it works while no worker runs."
    },
    footer = {
      "",
      "Examples:",
      "  llem-campaign list",
      "  llem-campaign list --json --temporal 10.0.0.5:7233"
    })
final class ListCommand implements Callable<Integer> {

  @Mixin CommonOptions common;

  @Override
  public Integer call() {
    Console console = Console.system();
    try (ServerSession session = CampaignCommands.connect(common)) {
      List<CampaignStatusReader.Summary> campaigns =
          new CampaignStatusReader(CampaignCommands.lookup(session), CampaignCommands.QUERY_TIMEOUT)
              .list();
      if (common.json()) {
        console.json(Map.of("campaigns", campaigns));
      } else if (campaigns.isEmpty()) {
        console.note("no campaigns on " + session.connection().address());
      } else {
        console.line(
            String.format(
                "%-32s %-10s %8s %10s %7s", "campaign", "state", "planned", "completed", "failed"));
        for (CampaignStatusReader.Summary c : campaigns) {
          console.line(
              String.format(
                  "%-32s %-10s %8d %10d %7d",
                  c.campaign(), c.state(), c.planned(), c.completed(), c.failed()));
        }
      }
    }
    return ExitCodes.OK;
  }
}
