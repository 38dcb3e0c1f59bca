package org.llenergymeasure.campaign.workflows.campaign;

import io.temporal.workflow.Workflow;
import io.temporal.workflow.unsafe.WorkflowUnsafe;
import java.util.ArrayList;
import java.util.List;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.PlannedRun;
import org.slf4j.Logger;

/**
 * The campaign workflow's plan while it grows (adaptive cycles, {@link AdaptivePlan}): the runs
 * planned so far, and the one operation that adds runs, {@link #append}: at the end, with the next
 * plan indices, taken in at once by the book, the start rules (which share the list) and the
 * updates. Adding experiments to a running campaign would go through the same operation.
 */
final class PlanGrowth {

  /**
   * Change id: adaptive cycles append runs to the plan while the campaign runs. Asked only by
   * adaptive campaigns, so a fixed count of cycles issues the commands it did.
   */
  static final String ADAPTIVE_CYCLES = "adaptive-cycles";

  private static final Logger log = Workflow.getLogger(PlanGrowth.class);

  private final String campaign;
  private final AdaptivePlan adaptive;
  private final List<PlannedRun> runs;
  private RunBook book;
  private CampaignUpdates updates;

  private PlanGrowth(String campaign, AdaptivePlan adaptive, List<PlannedRun> runs) {
    this.campaign = campaign;
    this.adaptive = adaptive;
    this.runs = runs;
  }

  /**
   * The growing plan of an adaptive campaign, with the cycles planned after the first {@code min}
   * rebuilt from the carried state; null for a fixed count of cycles (no version is asked then).
   *
   * @param atStart the runs of cycles 1..min
   */
  static PlanGrowth of(Campaign campaign, CampaignState state, List<PlannedRun> atStart) {
    if (campaign.execution().adaptive() == null
        || Workflow.getVersion(ADAPTIVE_CYCLES, Workflow.DEFAULT_VERSION, 1)
            == Workflow.DEFAULT_VERSION) {
      return null;
    }
    AdaptivePlan adaptive = AdaptivePlan.from(campaign, state);
    List<PlannedRun> runs = new ArrayList<>(atStart);
    // Pure work, like the derivation of the runs at start.
    WorkflowUnsafe.deadlockDetectorOff(() -> runs.addAll(adaptive.laterRuns(runs.size())));
    return new PlanGrowth(campaign.name(), adaptive, runs);
  }

  /** The runs planned so far: a list that grows, shared with the workflow and its start rules. */
  List<PlannedRun> runs() {
    return runs;
  }

  /** Where appended runs are taken in. */
  void attach(RunBook runBook, CampaignUpdates campaignUpdates) {
    this.book = runBook;
    this.updates = campaignUpdates;
  }

  String metric() {
    return adaptive.metric();
  }

  /** A completed run's value of the metric (null: none). */
  void record(String experiment, Double value) {
    adaptive.record(experiment, value);
  }

  /**
   * Once every planned run has ended: appends the next cycle's runs for the experiments not yet
   * within the target; false when none is (all within it, or max reached).
   */
  boolean nextCycle() {
    List<PlannedRun> added = adaptive.nextCycle(runs.size());
    if (added.isEmpty()) {
      return false;
    }
    append(added);
    log.info(
        "campaign {}: cycle {} planned for {} experiments not yet within the target",
        campaign,
        added.get(0).cycle(),
        added.size());
    return true;
  }

  /** Appends runs at the end of the plan (indices continue). */
  void append(List<PlannedRun> added) {
    runs.addAll(added);
    book.append(added.size());
    updates.appended(added);
  }

  CampaignProgress progress(CampaignProgress p) {
    return p.withCycles(
        adaptive.plannedMax(p.planned()), adaptive.convergence(), adaptive.convergenceOmitted());
  }

  CampaignState into(CampaignState state) {
    return adaptive.into(state);
  }
}
