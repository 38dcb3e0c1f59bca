package org.llenergymeasure.campaign.worker.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.llenergymeasure.campaign.config.Durations;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.worker.campaign.CampaignStatusReader;
import org.llenergymeasure.campaign.worker.campaign.RunHeartbeats;
import org.llenergymeasure.campaign.worker.server.ServerSession;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.RecentFailure;
import org.llenergymeasure.campaign.workflows.campaign.RunningRun;
import org.llenergymeasure.campaign.workflows.host.QuarantinedGpu;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Where a campaign stands: its state, run totals, the runs in progress (host, GPUs, attempt,"
          + " since when, progress step), recent failures with their types, and an ETA.",
      "Asks the campaign's workflow (needs a live worker); without one it answers from the"
          + " server's search attributes and says that those numbers may lag."
    },
    footer = {
      "",
      "Examples:",
      "  llem-campaign status quickstart",
      "  llem-campaign status quickstart --json --temporal 10.0.0.5:7233"
    })
final class StatusCommand implements Callable<Integer> {

  @Parameters(paramLabel = "CAMPAIGN", description = "The campaign name (its file's `campaign:`).")
  String campaign;

  @Mixin CommonOptions common;

  @Override
  public Integer call() {
    Console console = Console.system();
    try (ServerSession session = CampaignCommands.connect(common)) {
      CampaignStatusReader.Status status =
          new CampaignStatusReader(CampaignCommands.lookup(session), CampaignCommands.QUERY_TIMEOUT)
              .status(campaign);
      if (status.note() != null) {
        console.note("note: " + status.note());
      }
      RunHeartbeats heartbeats = new RunHeartbeats(session.connection().client());
      Map<String, String> steps = new LinkedHashMap<>();
      for (RunningRun r : status.progress().running()) {
        String step = heartbeats.view(campaign, r.runId()).step();
        if (step != null) {
          steps.put(r.runId(), step);
        }
      }
      if (common.json()) {
        console.json(toJson(status.progress(), status.source(), steps));
      } else {
        print(console, status.progress(), steps);
      }
    }
    return ExitCodes.OK;
  }

  /**
   * cli-contract.md's {@code status} object; quarantined GPUs as {@code quarantine list} prints
   * them.
   */
  static Map<String, Object> toJson(CampaignProgress progress, CampaignStatusReader.Source source) {
    return toJson(progress, source, Map.of());
  }

  /**
   * @param steps each running run's progress step (from its await's heartbeat), by run id; a run
   *     without one gets {@code "step": null}
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> toJson(
      CampaignProgress progress, CampaignStatusReader.Source source, Map<String, String> steps) {
    Map<String, Object> out = Console.mapper().convertValue(progress, LinkedHashMap.class);
    List<Map<String, Object>> running = new ArrayList<>();
    for (RunningRun r : progress.running()) {
      Map<String, Object> run = Console.mapper().convertValue(r, LinkedHashMap.class);
      run.put("step", steps.get(r.runId()));
      running.add(run);
    }
    out.put("running", running);
    out.put("quarantined", progress.quarantined().stream().map(QuarantineCommand::toJson).toList());
    out.put("source", sourceName(source));
    return out;
  }

  static String sourceName(CampaignStatusReader.Source source) {
    return switch (source) {
      case QUERY -> "query";
      case RESULT -> "result";
      case SEARCH_ATTRIBUTES -> "searchAttributes";
    };
  }

  private static void print(Console console, CampaignProgress p, Map<String, String> steps) {
    long done = p.completed() + p.failed() + p.skipped();
    console.line(
        String.format(
            "campaign %s: %s, %d/%d runs done (%d completed, %d failed, %d skipped), %d pending%s%s",
            p.campaign(),
            p.state(),
            done,
            p.planned(),
            p.completed(),
            p.failed(),
            p.skipped(),
            p.pending(),
            // Adaptive cycles: the runs planned so far, and the most the plan can grow to.
            p.mayGrow() ? ", planned so far (up to " + p.plannedMax() + " runs)" : "",
            p.etaSeconds() == null || p.pending() + p.running().size() == 0
                ? ""
                : ", ETA "
                    + (p.mayGrow() ? "≥ " : "")
                    + Durations.human(Duration.ofSeconds(p.etaSeconds()))
                    + (p.mayGrow() ? " (runs planned so far; more cycles may follow)" : "")));
    ConvergenceText.lines(p).forEach(console::line);
    if (p.planVersion() != null && p.planVersion() > 1) {
      // Amended: the plan version and what each amend changed.
      console.line("plan v" + p.planVersion() + " (amended " + (p.planVersion() - 1) + "x):");
      p.amendments().forEach(a -> console.line("  " + a));
    }
    if (!p.running().isEmpty()) {
      console.line("running:");
      for (RunningRun r : p.running()) {
        console.line(
            String.format(
                "  %-32s host %-14s GPUs %-12s attempt %d  for %s",
                r.runId(),
                r.host() == null ? "-" : r.host(),
                r.gpus() == null || r.gpus().isEmpty() ? "-" : String.join(",", r.gpus()),
                r.attempt(),
                since(r.since())));
        String step = steps.get(r.runId());
        if (step != null) {
          console.line("    step: " + step);
        }
      }
    }
    if (!p.recentFailures().isEmpty()) {
      console.line("recent failures:");
      for (RecentFailure f : p.recentFailures()) {
        console.line(String.format("  %-32s %-20s %s", f.runId(), f.type(), f.message()));
      }
    }
    if (!p.quarantined().isEmpty()) {
      console.line(
          "quarantined GPUs (left unclean by a run; no run gets them until clean or released):");
      for (QuarantinedGpu q : p.quarantined()) {
        console.line(
            String.format("  %s on %s since %s: %s", q.uuid(), q.host(), q.since(), q.reason()));
        console.line("    left by " + q.leftBy() + "; on that host: " + q.releaseCommand());
      }
    }
  }

  private static String since(String iso) {
    try {
      return Durations.human(Duration.between(Instant.parse(iso), Instant.now()));
    } catch (RuntimeException e) {
      return iso == null ? "?" : iso;
    }
  }
}
