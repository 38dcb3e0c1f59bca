package org.llenergymeasure.campaign.worker.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.worker.schedule.CampaignSchedules;
import org.llenergymeasure.campaign.worker.schedule.ScheduleFile;
import org.llenergymeasure.campaign.worker.schedule.ScheduleView;
import org.llenergymeasure.campaign.worker.server.ServerSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "update",
    mixinStandardHelpOptions = true,
    description = {
      "Freeze a new version of the campaign file into a schedule: later firings run it; a firing"
          + " that runs now goes on with the file it started with. Timing and pause stay."
    },
    footer = {"", "Examples:", "  llem-campaign schedule update nightly campaign.yaml"})
final class ScheduleUpdateCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "NAME", description = "The schedule's name.")
  String name;

  @Parameters(index = "1", paramLabel = "FILE", description = "The campaign file (YAML).")
  Path file;

  @Option(names = "--host-id", paramLabel = "ID", description = "As for `schedule create`.")
  String hostId;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    Console console = Console.system();
    CampaignSchedules.checkName(name);
    ScheduleFile.Frozen frozen = ScheduleFile.load(name, file, HostIds.resolve(hostId));
    frozen.loaded().warnings().forEach(w -> console.note("warning: " + w));
    try (ServerSession session = CampaignCommands.connect(common)) {
      ScheduleView view = ScheduleCommand.schedules(session).update(name, frozen.input());
      ScheduleDescribeCommand.print(console, common.json(), view, "updated");
    }
    return ExitCodes.OK;
  }
}
