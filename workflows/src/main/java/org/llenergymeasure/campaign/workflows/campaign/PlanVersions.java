package org.llenergymeasure.campaign.workflows.campaign;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.PlanBuilder;
import org.llenergymeasure.campaign.config.PlanDiff;
import org.llenergymeasure.campaign.config.PlannedRun;
import org.llenergymeasure.campaign.config.RunOrder;
import org.llenergymeasure.campaign.workflows.plan.CampaignPack;

/**
 * The versions of a campaign's file while it runs ({@code amend}): version 1 is the file it started
 * with, each accepted amend makes the next. Knows the name each current experiment's runs carry
 * (the experiment's own name, or {@code <experiment>@v<version>} once an amend changed it, so its
 * runs under the new definition are reported apart from the older ones), the definition behind
 * every such name ever used, and every plan hash.
 *
 * <p>{@link #apply} rewrites the plan in place for a new version; the same function rebuilds an
 * amended plan after continue-as-new from the carried {@link Amendment}s, so it must stay pure:
 * what it does to the plan depends only on the plan, the files and the amendment's indices. Plain
 * Java, deterministic (hash maps are only looked up, never iterated).
 */
final class PlanVersions {

  private final List<Campaign> files = new ArrayList<>();
  private final List<String> hashes = new ArrayList<>();
  private final List<Amendment> amendments = new ArrayList<>();

  /** Current experiment name -> the name its runs carry, in the current file's order. */
  private Map<String, String> runNames = new LinkedHashMap<>();

  /** Every run name ever used -> its definition (named so). Lookups only. */
  private final Map<String, Experiment> definitions = new HashMap<>();

  /** Experiment name -> the run name it carried last (kept after a removal). Lookups only. */
  private final Map<String, String> lastName = new HashMap<>();

  private PlanVersions(Campaign first, String hash) {
    files.add(first);
    hashes.add(hash);
    for (Experiment e : first.experiments()) {
      runNames.put(e.name(), e.name());
      definitions.put(e.name(), e);
      lastName.put(e.name(), e.name());
    }
  }

  /**
   * The versions of a campaign, with {@code runs} (the plan of its first file, a mutable list)
   * rewritten by every amendment its state carries.
   */
  static PlanVersions of(Campaign first, String hash, CampaignState state, List<PlannedRun> runs) {
    PlanVersions v = new PlanVersions(first, hash);
    if (state != null && state.amendments() != null) {
      for (Amendment a : state.amendments()) {
        v.apply(
            CampaignPack.unpack(a.packedCampaign()),
            a.firstNotStarted(),
            a.firstReplanned(),
            a.currentCycle(),
            runs,
            i -> false);
        v.record(a);
      }
    }
    return v;
  }

  /** What {@link #apply} did to the plan, for the book. */
  record Applied(PlanDiff diff, List<Integer> removedRuns, List<Boolean> replannedSkipped) {}

  /**
   * Rewrites {@code runs} for the next file version: from {@code firstNotStarted} up to {@code
   * firstReplanned}, a run of a removed experiment is reported for skipping and a run of a changed
   * one gets its new name (a run of an experiment an earlier amend removed is left as it is); from
   * {@code firstReplanned} on, the plan is planned anew from the next file: each cycle after {@code
   * currentCycle} in its order, then that cycle's runs of experiments no longer in the file (to be
   * skipped). In grouped order ({@code firstReplanned} is the plan's end) the added experiments'
   * runs of every cycle are appended instead.
   *
   * @param skipped which runs are skipped now (a run planned anew under the same id stays skipped)
   */
  Applied apply(
      Campaign next,
      int firstNotStarted,
      int firstReplanned,
      int currentCycle,
      List<PlannedRun> runs,
      IntPredicate skipped) {
    Campaign current = current();
    PlanDiff diff = PlanDiff.of(current, next);
    int version = files.size() + 1;
    Map<String, String> names = new LinkedHashMap<>();
    for (Experiment e : next.experiments()) {
      String was = runNames.get(e.name());
      String name;
      if (was != null && !diff.changed().containsKey(e.name())) {
        name = was;
      } else if (was == null && !lastName.containsKey(e.name())) {
        name = e.name();
      } else {
        name = e.name() + "@v" + version;
      }
      names.put(e.name(), name);
      definitions.putIfAbsent(name, ExperimentNames.named(e, name));
      lastName.put(e.name(), name);
    }
    List<Integer> removed = new ArrayList<>();
    for (int i = firstNotStarted; i < firstReplanned; i++) {
      PlannedRun r = runs.get(i);
      String base = ExperimentNames.base(r.experiment());
      if (!r.experiment().equals(runNames.get(base))) {
        continue; // not a run of the current definition (one an earlier amend skipped): kept
      }
      String name = names.get(base);
      if (name == null) {
        removed.add(i);
      } else if (!name.equals(r.experiment())) {
        runs.set(i, new PlannedRun(PlannedRun.runId(name, r.cycle()), name, r.cycle(), i));
      }
    }
    List<Boolean> replannedSkipped =
        next.execution().order() == RunOrder.GROUPED
            ? appendGrouped(next, diff, names, runs)
            : replan(next, names, firstReplanned, currentCycle, runs, skipped);
    files.add(next);
    runNames = names;
    return new Applied(diff, removed, replannedSkipped);
  }

  private static List<Boolean> appendGrouped(
      Campaign next, PlanDiff diff, Map<String, String> names, List<PlannedRun> runs) {
    int cycles = next.execution().cycles();
    int from = runs.size();
    for (String added : diff.added()) {
      String name = names.get(added);
      for (int c = 1; c <= cycles; c++) {
        runs.add(new PlannedRun(PlannedRun.runId(name, c), name, c, runs.size()));
      }
    }
    return java.util.Collections.nCopies(runs.size() - from, false);
  }

  private static List<Boolean> replan(
      Campaign next,
      Map<String, String> names,
      int from,
      int currentCycle,
      List<PlannedRun> runs,
      IntPredicate skipped) {
    // The old runs planned anew, by cycle; those of current experiments remember their skips.
    TreeMap<Integer, List<PlannedRun>> gone = new TreeMap<>();
    Map<String, Boolean> wasSkipped = new HashMap<>();
    for (int i = from; i < runs.size(); i++) {
      PlannedRun r = runs.get(i);
      if (names.containsKey(ExperimentNames.base(r.experiment()))) {
        wasSkipped.put(r.runId(), skipped.test(i));
      } else {
        gone.computeIfAbsent(r.cycle(), c -> new ArrayList<>()).add(r);
      }
    }
    runs.subList(from, runs.size()).clear();
    List<Boolean> out = new ArrayList<>();
    boolean[] all = new boolean[next.experiments().size()];
    java.util.Arrays.fill(all, true);
    for (int c = currentCycle + 1; c <= next.execution().cycles(); c++) {
      for (PlannedRun p : PlanBuilder.cycle(next, c, all, runs.size())) {
        String name = names.get(p.experiment());
        String runId = PlannedRun.runId(name, c);
        runs.add(new PlannedRun(runId, name, c, runs.size()));
        out.add(wasSkipped.getOrDefault(runId, false));
      }
      for (PlannedRun r : gone.getOrDefault(c, List.of())) {
        runs.add(new PlannedRun(r.runId(), r.experiment(), c, runs.size()));
        out.add(true);
      }
    }
    return out;
  }

  /** Records an applied amendment (its version, hash and how to rebuild it). */
  void record(Amendment a) {
    amendments.add(a);
    hashes.add(a.planHash());
  }

  /** The file the campaign runs under now. */
  Campaign current() {
    return files.get(files.size() - 1);
  }

  int version() {
    return files.size();
  }

  List<String> hashes() {
    return List.copyOf(hashes);
  }

  /** Whether {@code experiment} (its own name, not a run name) is in the current file. */
  boolean isCurrent(String experiment) {
    return runNames.containsKey(experiment);
  }

  /** The definition behind a run name; null for a name never used. */
  Experiment definition(String runName) {
    return definitions.get(runName);
  }

  /** The packed form of every amendment's file, in characters (what continue-as-new carries). */
  long carriedChars() {
    long n = 0;
    for (Amendment a : amendments) {
      n += a.packedCampaign().length();
    }
    return n;
  }

  /** The {@code plan} query's answer; {@code firstPacked} is the first file's packed form. */
  CurrentPlan currentPlan(String firstPacked) {
    String packed =
        amendments.isEmpty() ? firstPacked : amendments.get(amendments.size() - 1).packedCampaign();
    return new CurrentPlan(version(), hashes(), packed, new LinkedHashMap<>(runNames));
  }

  /** {@code state} with the amendments (unchanged when there is none). */
  CampaignState into(CampaignState state) {
    return amendments.isEmpty() ? state : state.withPlan(version(), hashes(), amendments);
  }

  /** {@code p} with the plan version, hashes and what each amend did. */
  CampaignProgress progress(CampaignProgress p) {
    List<String> lines = new ArrayList<>();
    for (Amendment a : amendments) {
      lines.add(a.summary());
    }
    return p.withPlan(version(), hashes(), lines);
  }
}
