package org.llenergymeasure.campaign.worker.campaign;

import java.util.List;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.LoadedCampaign;

/** The campaign page's static Markdown in the Web UI: what it is, on which hosts and GPUs. */
final class CampaignDetails {

  private CampaignDetails() {}

  static String markdown(LoadedCampaign loaded, List<String> hosts) {
    Campaign c = loaded.campaign();
    StringBuilder md = new StringBuilder();
    md.append("### ").append(c.name()).append('\n');
    if (c.description() != null) {
      md.append(c.description()).append("\n\n");
    }
    md.append(
            "| runs | experiments | cycles | order | attach | hosts | plan |\n|---|---|---|---|---|---|---|\n")
        .append("| ")
        .append(loaded.plan().runs().size())
        .append(" | ")
        .append(c.experiments().size())
        .append(" | ")
        .append(c.execution().cycles())
        .append(" | ")
        .append(c.execution().order().yamlName())
        .append(" | ")
        .append(c.attach().yamlName())
        .append(" | ")
        .append(String.join(", ", hosts))
        .append(" | `")
        .append(loaded.plan().hash(), 0, 12)
        .append("` |\n\n| experiment | image | GPUs |\n|---|---|---|\n");
    for (Experiment e : c.experiments()) {
      md.append("| ")
          .append(e.name())
          .append(" | `")
          .append(e.image())
          .append("` | ")
          .append(e.gpus())
          .append(" |\n");
    }
    return md.toString();
  }
}
