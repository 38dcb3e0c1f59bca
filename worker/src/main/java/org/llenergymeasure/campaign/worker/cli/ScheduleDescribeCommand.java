package org.llenergymeasure.campaign.worker.cli;

import java.util.concurrent.Callable;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.worker.schedule.ScheduleView;
import org.llenergymeasure.campaign.worker.server.ServerSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "describe",
    mixinStandardHelpOptions = true,
    description = {
      "A schedule: when it fires, whether it is paused, the frozen file and its hash (the hash"
          + " `validate` and `plan` print), the next firing times and the recent firings with"
          + " their campaigns' states."
    },
    footer = {"", "Examples:", "  llem-campaign schedule describe nightly --json"})
final class ScheduleDescribeCommand implements Callable<Integer> {

  @Parameters(paramLabel = "NAME", description = "The schedule's name.")
  String name;

  @Mixin CommonOptions common;

  @Override
  public Integer call() {
    try (ServerSession session = CampaignCommands.connect(common)) {
      print(
          Console.system(), common.json(), ScheduleCommand.schedules(session).describe(name), null);
    }
    return ExitCodes.OK;
  }

  /** The view as JSON, or for people; {@code verb} ("created") heads the text when given. */
  static void print(Console console, boolean json, ScheduleView s, String verb) {
    if (json) {
      console.json(s);
      return;
    }
    console.line(
        "schedule "
            + s.schedule()
            + (verb == null ? "" : " " + verb)
            + ": "
            + timing(s)
            + (s.paused() ? ", paused" + (s.note() == null ? "" : " (" + s.note() + ")") : "")
            + ", a firing while one runs is skipped");
    console.line("  file:     " + s.file() + " (campaign " + s.campaign() + ")");
    console.line("  hash:     " + s.hash());
    console.line("  firings:  campaigns named " + s.schedule() + "-<yyyyMMdd>t<HHmmss>z (UTC)");
    console.line("  fired:    " + s.fired() + ", skipped while one ran: " + s.skipped());
    console.line(
        "  next:     "
            + (s.nextFireTimes().isEmpty()
                ? "-"
                : String.join(
                    ", ", s.nextFireTimes().subList(0, Math.min(3, s.nextFireTimes().size())))));
    for (ScheduleView.Firing f : s.firings()) {
      console.line(
          String.format("  %-40s %-10s started %s", f.campaign(), f.state(), f.startedAt()));
    }
  }

  static String timing(ScheduleView s) {
    if (s.cron() != null) {
      return "cron \"" + s.cron() + "\" (" + (s.timezone() == null ? "UTC" : s.timezone()) + ")";
    }
    return s.every() != null ? "every " + s.every() : "?";
  }
}
