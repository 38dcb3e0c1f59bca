package org.llenergymeasure.campaign.config;

import java.util.List;

/**
 * A validated campaign file with every experiment fully merged (defaults, grid base, variants) and
 * the grid expanded. Compact: the plan (experiment x cycle, ordered) is derived from it by {@link
 * PlanBuilder}, so it is what a workflow receives, never the plan itself.
 *
 * @param name the campaign name; the workflow id is {@code campaign/<name>}
 * @param description optional free text shown in the Web UI (may be null)
 * @param experiments experiments in file order: explicit ones first, then the grid's
 * @param execution cycles, order, gaps, concurrency, failure policy
 * @param attach how GPUs are attached to runs
 * @param hosts GPU hosts this campaign may use; empty = every registered host
 */
public record Campaign(
    String name,
    String description,
    List<Experiment> experiments,
    Execution execution,
    AttachMode attach,
    List<String> hosts) {

  public Campaign {
    experiments = List.copyOf(experiments);
    hosts = hosts == null ? List.of() : List.copyOf(hosts);
  }

  /** The workflow id of this campaign. */
  public String workflowId() {
    return "campaign/" + name;
  }

  public Experiment experiment(String experimentName) {
    for (Experiment e : experiments) {
      if (e.name().equals(experimentName)) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        "no experiment named " + experimentName + " in campaign " + name);
  }
}
