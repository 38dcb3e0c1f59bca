package org.llenergymeasure.campaign.worker.campaign;

import java.util.List;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.LoadedCampaign;

/** The campaign page's static Markdown in the Web UI: what it is, on which hosts and GPUs. */
public final class CampaignDetails {

  /**
   * The details travel in the start request: a campaign of 100,000 experiments (or a description of
   * 128 KiB) listed in full would take megabytes, so the page shows the first ones.
   */
  static final int MAX_EXPERIMENTS = 100;

  private static final int MAX_DESCRIPTION_CHARS = 4096;
  private static final int MAX_IMAGE_CHARS = 200;

  private CampaignDetails() {}

  public static String markdown(LoadedCampaign loaded, List<String> hosts) {
    Campaign c = loaded.campaign();
    StringBuilder md = new StringBuilder();
    md.append("### ").append(c.name()).append('\n');
    if (c.description() != null) {
      md.append(cut(c.description(), MAX_DESCRIPTION_CHARS)).append("\n\n");
    }
    md.append(
            "| runs | experiments | cycles | order | attach | hosts | plan |\n|---|---|---|---|---|---|---|\n")
        .append("| ")
        .append(loaded.plan().runs().size())
        // Adaptive cycles: the runs at start, and the most the plan can grow to.
        .append(
            c.execution().adaptive() == null
                ? ""
                : " at start, up to " + (long) c.experiments().size() * c.execution().cycles())
        .append(" | ")
        .append(c.experiments().size())
        .append(" | ")
        .append(
            c.execution().adaptive() == null
                ? String.valueOf(c.execution().cycles())
                : c.execution().adaptive().describe())
        .append(" | ")
        .append(c.execution().order().yamlName())
        .append(" | ")
        .append(c.attach().yamlName())
        .append(" | ")
        .append(
            c.hostsSpec() == null
                ? String.join(", ", hosts)
                : ("placed on " + c.hostsSpec()).replace("|", "/"))
        .append(" | `")
        .append(loaded.plan().hash(), 0, 12)
        .append("` |\n\n| experiment | image | GPUs |\n|---|---|---|\n");
    List<Experiment> experiments = c.experiments();
    for (Experiment e : experiments.subList(0, Math.min(MAX_EXPERIMENTS, experiments.size()))) {
      md.append("| ")
          .append(e.name())
          .append(" | `")
          .append(cut(e.image(), MAX_IMAGE_CHARS))
          .append("` | ")
          .append(e.gpus())
          .append(" |\n");
    }
    if (experiments.size() > MAX_EXPERIMENTS) {
      md.append("| … and ")
          .append(experiments.size() - MAX_EXPERIMENTS)
          .append(" more (`llem-campaign plan` lists them) | | |\n");
    }
    return md.toString();
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }
}
