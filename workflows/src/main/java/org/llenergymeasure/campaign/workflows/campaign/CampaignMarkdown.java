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
      md.append(" · ETA ")
          .append(p.mayGrow() ? "≥ " : "")
          .append(Durations.human(Duration.ofSeconds(p.etaSeconds())));
    }
    if (p.mayGrow()) {
      md.append(" · planned so far; up to ").append(p.plannedMax()).append(" runs");
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
    convergence(p, md);
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

  /** Adaptive cycles: each experiment's interval so far. */
  private static void convergence(CampaignProgress p, StringBuilder md) {
    if (p.convergence() == null) {
      return;
    }
    md.append(
        "\n| experiment | n | cycles | mean | ± half-width | ± % | converged |\n|---|---|---|---|---|---|---|\n");
    for (ExperimentConvergence c : p.convergence()) {
      md.append("| ")
          .append(cell(c.experiment()))
          .append(" | ")
          .append(c.n())
          .append(" | ")
          .append(c.cycles())
          .append(" | ")
          .append(number(c.mean()))
          .append(" | ")
          .append(number(c.halfWidth()))
          .append(" | ")
          .append(
              c.relativeHalfWidth() == null
                  ? "—"
                  : String.format(java.util.Locale.ROOT, "%.2f", 100 * c.relativeHalfWidth()))
          .append(" | ")
          .append(c.converged() ? "yes" : "no")
          .append(" |\n");
    }
    if (p.convergenceOmitted() != null && p.convergenceOmitted() > 0) {
      md.append("\n… and ").append(p.convergenceOmitted()).append(" more experiments\n");
    }
  }

  private static String number(Double v) {
    return v == null ? "—" : String.format(java.util.Locale.ROOT, "%.6g", v);
  }

  private static String cell(String text) {
    String flat = text.replace('|', '/').replace('\n', ' ');
    return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
  }
}
