package org.llenergymeasure.campaign.worker.cli;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.worker.campaign.CampaignControl;
import org.llenergymeasure.campaign.worker.server.ServerSession;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * pause, resume, cancel, skip, retry-failed: change a running campaign, print {@code {"ok": true}}
 * (or a line for people), exit 2 with the workflow's reason when it refuses.
 */
abstract class CampaignChangeCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "CAMPAIGN", description = "The campaign name.")
  String campaign;

  @Option(
      names = "--wait",
      paramLabel = "SECONDS",
      description = "How long to wait for a worker to apply the change (default ${DEFAULT-VALUE}).")
  long waitSeconds = 30;

  @Mixin CommonOptions common;

  /** Applies the change; returns what to tell people when it worked. */
  abstract String apply(CampaignControl control);

  @Override
  public Integer call() {
    Console console = Console.system();
    try (ServerSession session = CampaignCommands.connect(common)) {
      String done =
          apply(
              new CampaignControl(
                  CampaignCommands.lookup(session), Duration.ofSeconds(Math.max(1, waitSeconds))));
      if (common.json()) {
        console.json(Map.of("ok", true));
      } else {
        console.line(done);
      }
    }
    return ExitCodes.OK;
  }
}
