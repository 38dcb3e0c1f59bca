package org.llenergymeasure.campaign.config;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param hosts the host ids {@code hosts:} lists; empty = the host {@code run} starts on (or, with
 *     {@code hostsSpec}, none listed by id)
 * @param hostsSpec {@code hosts:} in a form that places runs on registered hosts ({@code any}, or a
 *     list with selectors); null without {@code hosts:} or for a list of host ids only
 */
public record Campaign(
    String name,
    String description,
    List<Experiment> experiments,
    Execution execution,
    AttachMode attach,
    List<String> hosts,
    @JsonInclude(JsonInclude.Include.NON_NULL) HostsSpec hostsSpec) {

  public Campaign {
    experiments = experiments instanceof ByName b ? b : new ByName(experiments);
    hosts = hosts == null ? List.of() : List.copyOf(hosts);
  }

  /** A campaign whose {@code hosts:} is absent or a list of host ids. */
  public Campaign(
      String name,
      String description,
      List<Experiment> experiments,
      Execution execution,
      AttachMode attach,
      List<String> hosts) {
    this(name, description, experiments, execution, attach, hosts, null);
  }

  /**
   * The hosts a run of {@code e} is placed on from the registry, or null when it is routed on the
   * candidate hosts as before: a run pinned with {@code host:} never; {@code hosts: any} or a list
   * with selectors always; a list of host ids when the run asks for a GPU model.
   */
  public HostsSpec placementFor(Experiment e) {
    if (e.host() != null) {
      return null;
    }
    if (hostsSpec != null) {
      return hostsSpec;
    }
    return e.gpus().model() != null && !hosts.isEmpty() ? HostsSpec.named(hosts) : null;
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
