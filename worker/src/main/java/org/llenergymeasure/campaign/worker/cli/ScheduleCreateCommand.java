package org.llenergymeasure.campaign.worker.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.worker.schedule.CampaignSchedules;
import org.llenergymeasure.campaign.worker.schedule.ScheduleFile;
import org.llenergymeasure.campaign.worker.schedule.ScheduleTiming;
import org.llenergymeasure.campaign.worker.schedule.ScheduleView;
import org.llenergymeasure.campaign.worker.server.ServerSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = {
      "Create a schedule that runs the campaign FILE as a new campaign at each firing. The file is"
          + " checked as `validate` checks it and frozen: editing it later changes nothing until"
          + " `schedule update NAME FILE`."
    },
    footer = {
      "",
      "Examples:",
      "  llem-campaign schedule create nightly campaign.yaml --cron \"0 2 * * *\"",
      "  llem-campaign schedule create nightly campaign.yaml --cron \"0 2 * * *\" --timezone"
          + " Europe/Berlin",
      "  llem-campaign schedule create smoke campaign.yaml --every 30m"
    })
final class ScheduleCreateCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "NAME", description = "The schedule's name.")
  String name;

  @Parameters(index = "1", paramLabel = "FILE", description = "The campaign file (YAML).")
  Path file;

  @Option(
      names = "--cron",
      paramLabel = "EXPR",
      description = "When to fire, as a cron expression (minute hour day month weekday).")
  String cron;

  @Option(
      names = "--every",
      paramLabel = "DURATION",
      description = "Fire at a fixed interval: 24h, 30m, 10s (counted from 1970-01-01 UTC).")
  String every;

  @Option(
      names = "--timezone",
      paramLabel = "ZONE",
      description = "The time zone of --cron, e.g. Europe/Berlin (default UTC).")
  String timezone;

  @Option(
      names = "--host-id",
      paramLabel = "ID",
      description =
          "Where runs without host: go when the file has no hosts: (default: this short host"
              + " name), as for `run`.")
  String hostId;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    Console console = Console.system();
    CampaignSchedules.checkName(name);
    ScheduleTiming timing = ScheduleTiming.of(cron, every, timezone);
    ScheduleFile.Frozen frozen = ScheduleFile.load(name, file, HostIds.resolve(hostId));
    frozen.loaded().warnings().forEach(w -> console.note("warning: " + w));
    try (ServerSession session = CampaignCommands.connect(common)) {
      ScheduleView view = ScheduleCommand.schedules(session).create(name, frozen.input(), timing);
      ScheduleDescribeCommand.print(console, common.json(), view, "created");
    }
    return ExitCodes.OK;
  }
}
