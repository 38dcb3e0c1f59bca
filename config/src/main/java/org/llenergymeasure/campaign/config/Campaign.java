package org.llenergymeasure.campaign.config;

import java.util.AbstractList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

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
    experiments = experiments instanceof ByName b ? b : new ByName(experiments);
    hosts = hosts == null ? List.of() : List.copyOf(hosts);
  }

  /** The workflow id of this campaign. */
  public String workflowId() {
    return "campaign/" + name;
  }

  /** The experiment of that name, in constant time (a campaign may have 100,000). */
  public Experiment experiment(String experimentName) {
    Experiment e = ((ByName) experiments).get(experimentName);
    if (e == null) {
      throw new IllegalArgumentException(
          "no experiment named " + experimentName + " in campaign " + name);
    }
    return e;
  }

  /**
   * The experiments as an unmodifiable list (equal to, and serialised as, any list of the same
   * experiments) with an index by name, so that looking an experiment up for each run of the plan
   * is not quadratic. Where two share a name (only in a hand-made campaign: validation refuses it)
   * the first wins, as in a search of the list.
   */
  private static final class ByName extends AbstractList<Experiment> implements RandomAccess {

    private final List<Experiment> list;
    private final Map<String, Experiment> index;

    ByName(List<Experiment> experiments) {
      this.list = List.copyOf(experiments);
      this.index = new HashMap<>(Math.max(16, list.size() * 2));
      for (Experiment e : list) {
        index.putIfAbsent(e.name(), e);
      }
    }

    Experiment get(String name) {
      return index.get(name);
    }

    @Override
    public Experiment get(int i) {
      return list.get(i);
    }

    @Override
    public int size() {
      return list.size();
    }
  }
}
