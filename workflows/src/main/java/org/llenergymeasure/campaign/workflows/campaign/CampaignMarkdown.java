package org.llenergymeasure.campaign.workflows.campaign;

import java.time.Duration;
import org.llenergymeasure.campaign.config.Durations;

/** The campaign page's live details in the Web UI: totals, running runs, recent failures. */
final class CampaignMarkdown {

  private CampaignMarkdown() {}

  static String render(CampaignProgress p) {
    StringBuilder md = new StringBuilder();
    md.append("**").append(p.state()).append("**");
    if (p.reason() != null) {
      md.append(" — ").append(cell(p.reason()));
    }
    md.append(" · ")
        .append(p.completed() + p.failed() + p.skipped())
        .append('/')
        .append(p.planned())
        .append(" runs done · concurrency ")
        .append(p.concurrency());
    if (p.etaSeconds() != null && p.pending() + p.running().size() > 0) {
      md.append(" · ETA ").append(Durations.human(Duration.ofSeconds(p.etaSeconds())));
    }
    md.append(
            "\n\n| planned | completed | failed | skipped | pending | running |\n|---|---|---|---|---|---|\n| ")
        .append(p.planned())
        .append(" | ")
        .append(p.completed())
        .append(" | ")
        .append(p.failed())
        .append(" | ")
        .append(p.skipped())
        .append(" | ")
        .append(p.pending())
        .append(" | ")
        .append(p.running().size())
        .append(" |\n");
    if (!p.running().isEmpty()) {
      md.append("\n| running run | host | GPUs | attempt | since |\n|---|---|---|---|---|\n");
      for (RunningRun r : p.running()) {
        md.append("| `")
            .append(r.runId())
            .append("` | ")
            .append(r.host() == null ? "routing…" : r.host())
            .append(" | ")
            .append(r.gpus().isEmpty() ? "—" : String.join(", ", r.gpus()))
            .append(" | ")
            .append(r.attempt())
            .append(" | ")
            .append(r.since())
            .append(" |\n");
      }
    }
    if (!p.recentFailures().isEmpty()) {
      md.append("\n| failed run | type | message |\n|---|---|---|\n");
      for (RecentFailure f : p.recentFailures()) {
        md.append("| `")
            .append(f.runId())
            .append("` | ")
            .append(f.type())
            .append(" | ")
            .append(f.message() == null ? "" : cell(f.message()))
            .append(" |\n");
      }
    }
    return md.toString();
  }

  private static String cell(String text) {
    String flat = text.replace('|', '/').replace('\n', ' ');
    return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
  }
}
