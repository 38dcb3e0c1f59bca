package org.llenergymeasure.campaign.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a campaign file's tree and builds the {@link Campaign}: top-level keys, defaults, explicit
 * experiments, grid expansion (first axis outermost), merging (defaults &lt; grid base &lt;
 * variants in axis order &lt; the explicit experiment), unique names, and the equivalent-experiment
 * warning.
 */
final class CampaignValidator {

  static final List<String> TOP_KEYS =
      List.of(
          "campaign",
          "description",
          "defaults",
          "experiments",
          "grid",
          "execution",
          "attach",
          "hosts");
  static final List<String> ATTACH = List.of("device-request", "env", "cdi", "process");

  /**
   * The most runs (experiments × cycles) a campaign may have. The campaign workflow derives and
   * hashes the plan in a workflow task, which must finish well within the SDK's deadlock detector
   * (1 s): 100,000 runs take about 0.1 s for 1,000 experiments and 0.3-0.5 s for 100,000 (on a
   * shared 2-core machine; bench/plan-size), ten times that at 1,000,000 (campaign-format.md, "Size
   * limits").
   */
  static final long MAX_RUNS = 100_000;

  /** An experiment with where it came from, for name and equivalence messages. */
  private record Resolved(Experiment experiment, Mark mark, String path, String describe) {}

  private final ErrorSink sink;
  private final Fields f;
  private final ExperimentFields experimentFields;

  CampaignValidator(ErrorSink sink) {
    this.sink = sink;
    this.f = new Fields(sink);
    this.experimentFields = new ExperimentFields(f);
  }

  /** The campaign, or null when the sink holds errors. */
  Campaign validate(YamlMap root) {
    f.checkKeys(root, YamlPath.ROOT, TOP_KEYS, "the top level");

    String name = null;
    if (!root.has("campaign")) {
      sink.error(
          root.mark(),
          "campaign",
          "is missing; name the campaign, e.g. campaign:"
              + " llama-energy-2026-11 ("
              + Names.NAME_RULE
              + ")");
    } else {
      name = f.text(root.get("campaign"), "campaign");
      String problem = name == null ? null : Names.nameProblem(name);
      if (problem != null) {
        f.error(root.get("campaign"), "campaign", "campaign name " + problem);
        name = null;
      }
    }
    String description =
        root.has("description") ? f.text(root.get("description"), "description") : null;
    Execution execution = new ExecutionFields(f).parse(root.get("execution"), "execution");
    AttachMode attach = AttachMode.DEVICE_REQUEST;
    if (root.has("attach")) {
      String a = f.choice(root.get("attach"), "attach", ATTACH);
      attach = a == null ? attach : AttachMode.fromYaml(a);
    }
    int errorsBefore = sink.errorCount();
    HostsFields.Read hostsRead = new HostsFields(f).parse(root);
    List<String> hosts = hostsRead.names();
    // A host pinned with `host:` may be any registered one under `any` or a selector.
    boolean hostsInvalid = sink.errorCount() > errorsBefore || hostsRead.spec() != null;

    Fragment defaults = new Fragment();
    if (root.has("defaults")) {
      YamlMap d = f.map(root.get("defaults"), "defaults");
      if (d != null) {
        defaults =
            experimentFields.parse(d, "defaults", ExperimentFields.Source.DEFAULTS, Set.of());
      }
    }

    ExperimentResolver resolver = new ExperimentResolver(f, hosts, hostsInvalid, attach);
    List<Resolved> resolved = new ArrayList<>();
    boolean any = false;
    YamlList list = null;
    if (root.has("experiments")) {
      list = f.list(root.get("experiments"), "experiments");
      // A mistyped `experiments` is already reported; "no experiments" would only add noise.
      any = list == null || !list.items().isEmpty();
    }
    Grid grid = null;
    if (root.has("grid")) {
      any = true;
      grid = new GridFields(f, experimentFields).parse(root.get("grid"), "grid");
    }
    // The size is known before anything is expanded, so a campaign far too large is refused at
    // once (with only this error) rather than after resolving every experiment of it.
    boolean tooLarge = checkSize(root, list, grid, execution.cycles());
    if (!tooLarge && execution.adaptive() != null) {
      tooLarge = checkAdaptiveSize(root, list, grid);
    }
    if (list != null && !tooLarge) {
      explicit(list, defaults, resolver, resolved);
    }
    if (grid != null && !tooLarge) {
      expand(grid, defaults, resolver, resolved);
    }
    if (!any) {
      sink.error(
          root.mark(),
          "experiments",
          "the campaign has no experiments; add" + " `experiments:` (a list) or `grid:`");
    }
    checkUniqueNames(resolved);
    if (sink.hasErrors()) {
      return null;
    }
    warnEquivalent(resolved);
    List<Experiment> experiments = resolved.stream().map(Resolved::experiment).toList();
    return new Campaign(name, description, experiments, execution, attach, hosts, hostsRead.spec());
  }

  /**
   * Refuses a campaign of more than {@link #MAX_RUNS} runs, at the key that makes it so large:
   * {@code execution.cycles} when the experiments alone would fit, else the grid's axes or the
   * experiments list. Experiments are counted as written (the grid's size, not its valid
   * experiments), so the check needs no expansion.
   */
  private boolean checkSize(YamlMap root, YamlList list, Grid grid, int cycles) {
    long explicit = list == null ? 0 : list.items().size();
    long fromGrid = grid == null ? 0 : grid.size();
    long experiments = explicit + fromGrid;
    long runs = experiments * cycles; // at most 100,000 × 100,000 + a file's worth: no overflow
    if (runs <= MAX_RUNS) {
      return false;
    }
    Mark at;
    String path;
    if (experiments <= MAX_RUNS && cycles > 1 && cyclesNode(root) != null) {
      at = cyclesNode(root).mark();
      path = "execution.cycles";
    } else if (fromGrid >= explicit) {
      YamlNode axes = ((YamlMap) root.get("grid")).get("axes");
      at = axes.mark();
      path = "grid.axes";
    } else {
      at = root.get("experiments").mark();
      path = "experiments";
    }
    String count =
        list != null && grid != null
            ? experiments + " experiments (" + explicit + " listed, " + fromGrid + " from the grid)"
            : experiments + " experiments";
    sink.error(
        at,
        path,
        "the campaign has "
            + runs
            + " runs ("
            + count
            + " × "
            + cycles
            + (cycles == 1 ? " cycle" : " cycles")
            + "); a campaign has at most "
            + MAX_RUNS
            + " runs: use fewer cycles or experiments, or split it into several campaigns");
    return true;
  }

  /**
   * Refuses adaptive cycles over more than {@link AdaptiveCycles#MAX_EXPERIMENTS} experiments: the
   * campaign's continue-as-new state carries each experiment's statistics.
   */
  private boolean checkAdaptiveSize(YamlMap root, YamlList list, Grid grid) {
    long experiments = (list == null ? 0 : list.items().size()) + (grid == null ? 0 : grid.size());
    if (experiments <= AdaptiveCycles.MAX_EXPERIMENTS) {
      return false;
    }
    sink.error(
        cyclesNode(root).mark(),
        "execution.cycles",
        "adaptive cycles take at most "
            + AdaptiveCycles.MAX_EXPERIMENTS
            + " experiments, and the campaign has "
            + experiments
            + " (the campaign carries each experiment's statistics from one cycle to the next):"
            + " split it into several campaigns, or use a fixed count of cycles");
    return true;
  }

  private static YamlNode cyclesNode(YamlMap root) {
    return root.get("execution") instanceof YamlMap x ? x.get("cycles") : null;
  }

  private void explicit(
      YamlList list, Fragment defaults, ExperimentResolver resolver, List<Resolved> out) {
    for (int i = 0; i < list.items().size(); i++) {
      String path = YamlPath.index("experiments", i);
      YamlMap m = f.map(list.items().get(i), path);
      if (m == null) {
        continue;
      }
      Fragment own = experimentFields.parse(m, path, ExperimentFields.Source.EXPERIMENT, Set.of());
      Field nameField = own.get("name");
      if (nameField == null) {
        if (!own.invalid.contains("name")) {
          sink.error(
              m.mark(),
              YamlPath.key(path, "name"),
              "is missing; every experiment needs" + " a unique name (" + Names.NAME_RULE + ")");
        }
        continue;
      }
      Fragment merged = Fragment.merge(List.of(defaults, own));
      Experiment e =
          resolver.resolve(
              nameField.string(),
              merged,
              Map.of(),
              Map.of(),
              new ExperimentResolver.Origin(m.mark(), path, null));
      if (e != null) {
        out.add(new Resolved(e, nameField.mark(), nameField.path(), path));
      }
    }
  }

  private void expand(
      Grid grid, Fragment defaults, ExperimentResolver resolver, List<Resolved> out) {
    int axes = grid.axes().size();
    int[] at = new int[axes];
    List<String> badNames = new ArrayList<>();
    while (true) {
      Map<String, String> bindings = new LinkedHashMap<>();
      Map<String, YamlNode> typed = new LinkedHashMap<>();
      List<Fragment> sources = new ArrayList<>();
      sources.add(defaults);
      sources.add(grid.base());
      for (int a = 0; a < axes; a++) {
        Grid.Variant v = grid.axes().get(a).variants().get(at[a]);
        bindings.put(grid.axes().get(a).name(), v.value());
        typed.put(grid.axes().get(a).name(), v.valueNode());
        sources.add(v.fragment());
      }
      String name = Placeholders.substitute(grid.template(), bindings);
      if (Names.nameProblem(name) != null) {
        badNames.add(name);
      } else {
        Experiment e =
            resolver.resolve(
                name,
                Fragment.merge(sources),
                bindings,
                typed,
                new ExperimentResolver.Origin(grid.nameNode().mark(), grid.namePath(), name));
        if (e != null) {
          out.add(
              new Resolved(e, grid.nameNode().mark(), grid.namePath(), "grid experiment " + name));
        }
      }
      // Odometer: the last axis turns fastest, so the first axis is the outermost loop.
      int a = axes - 1;
      while (a >= 0 && ++at[a] == grid.axes().get(a).variants().size()) {
        at[a] = 0;
        a--;
      }
      if (a < 0) {
        break;
      }
    }
    if (!badNames.isEmpty()) {
      StringBuilder shown = new StringBuilder();
      for (int i = 0; i < Math.min(3, badNames.size()); i++) {
        shown.append(i == 0 ? "" : ", ").append('`').append(badNames.get(i)).append('`');
      }
      if (badNames.size() > 3) {
        shown.append(" and ").append(badNames.size() - 3).append(" more");
      }
      String why = Names.nameProblem(badNames.get(0));
      sink.error(
          grid.nameNode().mark(),
          grid.namePath(),
          "gives names that are not allowed: "
              + shown
              + "; the first "
              + why.substring(why.indexOf(" is not allowed: ") + 1)
              + "; use variant mappings with short values, e.g. {value: llama-8b, command: …}");
    }
  }

  private void checkUniqueNames(List<Resolved> resolved) {
    Map<String, Resolved> seen = new LinkedHashMap<>();
    for (Resolved r : resolved) {
      Resolved first = seen.putIfAbsent(r.experiment().name(), r);
      if (first == null) {
        continue;
      }
      sink.error(
          r.mark(),
          r.path(),
          "experiment name `"
              + r.experiment().name()
              + "` is already used by "
              + first.describe()
              + " (line "
              + first.mark().line()
              + "); names must be unique");
    }
  }

  /** Experiments that differ only in name and labels measure the same thing twice. */
  private void warnEquivalent(List<Resolved> resolved) {
    Map<String, List<Resolved>> groups = new LinkedHashMap<>();
    for (Resolved r : resolved) {
      String key = CanonicalJson.write(CanonicalJson.experiment(r.experiment(), false));
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
    }
    for (List<Resolved> g : groups.values()) {
      if (g.size() < 2) {
        continue;
      }
      StringBuilder names = new StringBuilder();
      for (int i = 0; i < g.size(); i++) {
        if (i == 5) {
          names.append(" and ").append(g.size() - 5).append(" more");
          break;
        }
        names
            .append(i == 0 ? "" : i == g.size() - 1 ? " and " : ", ")
            .append('`')
            .append(g.get(i).experiment().name())
            .append('`');
      }
      Resolved first = g.get(0);
      sink.warning(
          first.mark(),
          first.path(),
          "experiments "
              + names
              + " are equivalent (same"
              + " image, command, env, gpus, parallelism and settings; only name and labels"
              + " differ), so their runs measure the same thing; use the axis in the command or"
              + " env, or remove the duplicates");
    }
  }
}
