package org.llenergymeasure.campaign.workflows.campaign;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.config.AdaptiveCycles;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.PlanBuilder;
import org.llenergymeasure.campaign.config.PlannedRun;
import org.llenergymeasure.campaign.workflows.cycles.Interval;
import org.llenergymeasure.campaign.workflows.cycles.MetricStats;
import org.llenergymeasure.campaign.workflows.cycles.StudentT;

/**
 * The plan of an adaptive campaign ({@link AdaptiveCycles}) that grows while it runs. It starts
 * with cycles 1..min; when the last planned cycle has ended, {@link #nextCycle} plans the next one
 * for the experiments whose interval is not yet within the target, in that cycle's order, up to
 * max. Plain Java, deterministic: the statistics are {@link MetricStats} (StrictMath only).
 *
 * <p>Compact state for continue-as-new: per experiment (by index) the cycles planned for it and its
 * statistics. The plan is rebuilt from them: cycles 1..min, then for each later cycle c the
 * experiments with at least c cycles, in cycle c's order ({@link PlanBuilder#cycle}). An experiment
 * once left out is never planned again (a retried run of an earlier cycle still adds its value).
 *
 * <p>The workflow grows the plan through one operation, {@link PlanGrowth#append}: runs added at
 * the end with the next plan indices, which the book, the start rules and the updates take in at
 * once. Adding experiments to a running campaign would use the same operation; its compact state
 * would then also name the experiments added (and where), as this one names the cycles.
 */
final class AdaptivePlan {

  /** The most experiments the progress query lists; the rest are counted. */
  static final int CONVERGENCE_SHOWN = 100;

  private final Campaign campaign;
  private final AdaptiveCycles cycles;
  private final int[] planned;
  private final MetricStats[] stats;

  /** Lookups only, never iterated (iteration order of a HashMap is not deterministic). */
  private final Map<String, Integer> indexOf = new HashMap<>();

  /**
   * The t quantile by degrees of freedom: the same value {@link StudentT#critical} gives (a pure
   * function), taken once per df rather than once per experiment, since a campaign of thousands of
   * experiments decides all of them in one workflow task. Lookups only, never iterated.
   */
  private final Map<Integer, Double> critical = new HashMap<>();

  private int lastCycle;

  /** Set once {@link #nextCycle} found nothing more to plan: the plan is final. */
  private boolean finished;

  private AdaptivePlan(Campaign campaign, int[] planned, MetricStats[] stats) {
    this.campaign = campaign;
    this.cycles = campaign.execution().adaptive();
    this.planned = planned;
    this.stats = stats;
    for (int i = 0; i < planned.length; i++) {
      indexOf.put(campaign.experiments().get(i).name(), i);
      lastCycle = Math.max(lastCycle, planned[i]);
    }
  }

  /** The plan at campaign start: cycles 1..min for every experiment. */
  static AdaptivePlan start(Campaign campaign) {
    int n = campaign.experiments().size();
    int[] planned = new int[n];
    Arrays.fill(planned, campaign.execution().adaptive().min());
    MetricStats[] stats = new MetricStats[n];
    Arrays.fill(stats, MetricStats.EMPTY);
    return new AdaptivePlan(campaign, planned, stats);
  }

  /** The plan where the previous execution left it; a state without it is the plan at start. */
  static AdaptivePlan from(Campaign campaign, CampaignState state) {
    if (state == null || state.cyclesPlanned() == null) {
      return start(campaign);
    }
    int n = campaign.experiments().size();
    int[] planned = new int[n];
    MetricStats[] stats = new MetricStats[n];
    for (int i = 0; i < n; i++) {
      planned[i] = state.cyclesPlanned().get(i);
      MetricStats s = state.metricStats() == null ? null : state.metricStats().get(i);
      stats[i] = s == null ? MetricStats.EMPTY : s;
    }
    return new AdaptivePlan(campaign, planned, stats);
  }

  /** The metric whose value each run returns. */
  String metric() {
    return cycles.metric();
  }

  /**
   * The runs planned after the first {@code min} cycles, in order, with plan indices from {@code
   * firstIndex} on: what {@link #from} needs appended to the plan at start.
   */
  List<PlannedRun> laterRuns(int firstIndex) {
    List<PlannedRun> out = new ArrayList<>();
    for (int c = cycles.min() + 1; c <= lastCycle; c++) {
      boolean[] keep = new boolean[planned.length];
      for (int i = 0; i < planned.length; i++) {
        keep[i] = planned[i] >= c;
      }
      out.addAll(PlanBuilder.cycle(campaign, c, keep, firstIndex + out.size()));
    }
    return out;
  }

  /** A run's value of the metric (a valid run's; null adds nothing). */
  void record(String experiment, Double value) {
    Integer i = indexOf.get(experiment);
    if (i != null && value != null && Double.isFinite(value)) {
      stats[i] = stats[i].add(value);
    }
  }

  /**
   * Once the last planned cycle has ended: the next cycle's runs for the experiments still short of
   * the target (empty when none is, or max is reached), with plan indices from {@code firstIndex}
   * on. The caller appends them to the plan.
   */
  List<PlannedRun> nextCycle(int firstIndex) {
    if (lastCycle >= cycles.max()) {
      finished = true;
      return List.of();
    }
    boolean[] keep = new boolean[planned.length];
    boolean any = false;
    for (int i = 0; i < planned.length; i++) {
      keep[i] = planned[i] == lastCycle && !converged(i);
      any |= keep[i];
    }
    if (!any) {
      finished = true;
      return List.of();
    }
    lastCycle++;
    for (int i = 0; i < planned.length; i++) {
      if (keep[i]) {
        planned[i] = lastCycle;
      }
    }
    return PlanBuilder.cycle(campaign, lastCycle, keep, firstIndex);
  }

  private boolean converged(int i) {
    Interval interval = interval(i);
    return interval != null && interval.within(cycles.relativeHalfWidth());
  }

  /** {@link MetricStats#interval} of experiment {@code i}, with the t quantile cached. */
  private Interval interval(int i) {
    MetricStats s = stats[i];
    if (s.n() < 2) {
      return null;
    }
    double t =
        critical.computeIfAbsent(s.n() - 1, df -> StudentT.critical(cycles.confidence(), df));
    double half = t * s.standardDeviation() / StrictMath.sqrt(s.n());
    return new Interval(s.n(), s.mean(), half, cycles.confidence());
  }

  /**
   * The most runs the plan can have: those planned so far and, until the plan is final, up to max
   * cycles for every experiment in the last planned cycle.
   */
  long plannedMax(long plannedSoFar) {
    if (finished) {
      return plannedSoFar;
    }
    long more = 0;
    for (int p : planned) {
      if (p == lastCycle) {
        more += cycles.max() - lastCycle;
      }
    }
    return plannedSoFar + more;
  }

  /** The first {@link #CONVERGENCE_SHOWN} experiments' convergence, in campaign order. */
  List<ExperimentConvergence> convergence() {
    List<ExperimentConvergence> out = new ArrayList<>();
    for (int i = 0; i < planned.length && i < CONVERGENCE_SHOWN; i++) {
      MetricStats s = stats[i];
      Interval interval = interval(i);
      Double rel = null;
      if (interval != null && Double.isFinite(interval.relativeHalfWidth())) {
        rel = interval.relativeHalfWidth();
      }
      out.add(
          new ExperimentConvergence(
              campaign.experiments().get(i).name(),
              s.n(),
              s.n() == 0 ? null : s.mean(),
              interval == null ? null : interval.halfWidth(),
              rel,
              converged(i),
              planned[i]));
    }
    return out;
  }

  /** Experiments left out of {@link #convergence()}. */
  int convergenceOmitted() {
    return Math.max(0, planned.length - CONVERGENCE_SHOWN);
  }

  /** {@code state} with this plan's compact form. */
  CampaignState into(CampaignState state) {
    List<Integer> p = new ArrayList<>(planned.length);
    for (int c : planned) {
      p.add(c);
    }
    return state.withCycles(p, Arrays.asList(stats.clone()));
  }
}
