package org.llenergymeasure.campaign.worker.cli;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.worker.schedule.CampaignSchedules;
import org.llenergymeasure.campaign.worker.schedule.ScheduleView;
import org.llenergymeasure.campaign.worker.server.ServerSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "schedule",
    mixinStandardHelpOptions = true,
    description = {
      "Run a campaign file again and again on a Temporal Schedule (a nightly energy regression)."
          + " The file is validated and frozen at create; each firing is its own campaign named"
          + " <name>-<yyyyMMdd>t<HHmmss>z (UTC), with its own results folder and ledger. A firing"
          + " due while one runs is skipped."
    },
    subcommands = {
      ScheduleCreateCommand.class,
      ScheduleUpdateCommand.class,
      ScheduleDescribeCommand.class
    },
    footer = {
      "",
      "Examples:",
      "  llem-campaign schedule create nightly campaign.yaml --cron \"0 2 * * *\"",
      "  llem-campaign schedule create hourly campaign.yaml --every 1h",
      "  llem-campaign schedule describe nightly",
      "  llem-campaign status nightly-20261207t020000z"
    })
final class ScheduleCommand implements Runnable {

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "The campaign schedules on the server: timing, state, file hash, firings.")
  int list(@Mixin CommonOptions common) {
    Console console = Console.system();
    try (ServerSession session = CampaignCommands.connect(common)) {
      List<ScheduleView> all = schedules(session).list();
      if (common.json()) {
        console.json(Map.of("schedules", all));
      } else if (all.isEmpty()) {
        console.note("no schedules on " + session.connection().address());
      } else {
        console.line(
            String.format(
                "%-24s %-34s %-7s %-12s %6s %7s  %s",
                "schedule", "fires", "state", "hash", "fired", "skipped", "next"));
        for (ScheduleView s : all) {
          console.line(
              String.format(
                  "%-24s %-34s %-7s %-12s %6d %7d  %s",
                  s.schedule(),
                  ScheduleDescribeCommand.timing(s),
                  s.paused() ? "paused" : "active",
                  s.hash().substring(0, Math.min(12, s.hash().length())),
                  s.fired(),
                  s.skipped(),
                  s.nextFireTimes().isEmpty() ? "-" : s.nextFireTimes().get(0)));
        }
      }
    }
    return ExitCodes.OK;
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = "Stop firing until unpause; a firing that runs goes on.")
  int pause(
      @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--note", paramLabel = "TEXT", description = "Why (shown by describe).")
          String note,
      @Mixin CommonOptions common) {
    return change(
        common,
        name,
        (s, n) -> s.pause(n, note),
        "schedule " + name + " paused; `llem-campaign schedule unpause " + name + "` resumes it");
  }

  @Command(
      name = "unpause",
      mixinStandardHelpOptions = true,
      description = "Fire again at the next due time.")
  int unpause(
      @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--note", paramLabel = "TEXT", description = "Why (shown by describe).")
          String note,
      @Mixin CommonOptions common) {
    return change(common, name, (s, n) -> s.unpause(n, note), "schedule " + name + " unpaused");
  }

  @Command(
      name = "trigger",
      mixinStandardHelpOptions = true,
      description =
          "Fire once now (also while paused); skipped, as any firing, while one still runs.")
  int trigger(@Parameters(paramLabel = "NAME") String name, @Mixin CommonOptions common) {
    return change(
        common,
        name,
        CampaignSchedules::trigger,
        "schedule "
            + name
            + " triggered; `llem-campaign schedule describe "
            + name
            + "` shows the firing");
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description =
          "Delete the schedule. Its firings' campaigns stay (a running one goes on), with their"
              + " results.")
  int delete(@Parameters(paramLabel = "NAME") String name, @Mixin CommonOptions common) {
    return change(common, name, CampaignSchedules::delete, "schedule " + name + " deleted");
  }

  private static int change(
      CommonOptions common,
      String name,
      BiConsumer<CampaignSchedules, String> action,
      String done) {
    Console console = Console.system();
    try (ServerSession session = CampaignCommands.connect(common)) {
      action.accept(schedules(session), name);
    }
    if (common.json()) {
      console.json(Map.of("ok", true));
    } else {
      console.line(done);
    }
    return ExitCodes.OK;
  }

  static CampaignSchedules schedules(ServerSession session) {
    return new CampaignSchedules(session.connection().client(), session.connection().address());
  }
}
