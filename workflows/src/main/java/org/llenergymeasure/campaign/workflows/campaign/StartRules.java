package org.llenergymeasure.campaign.workflows.campaign;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.Execution;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.PlannedRun;
import org.llenergymeasure.campaign.config.RunOrder;

/**
 * When the next run may start, for the main loop: strictly in plan order, at most the book's
 * concurrency at once, never beside a run whose GPUs may overlap ({@link GpuConflicts}), a new
 * cycle only once the previous one has ended; and the pause before it ({@code gap} or {@code
 * cycleGap}). Reads the book and the runs in flight, changes nothing.
 */
final class StartRules {

  private final Execution execution;
  private final List<PlannedRun> runs;

  /** Lookups only, never iterated (iteration order of a HashMap is not deterministic). */
  private final Map<String, Experiment> experiments = new HashMap<>();

  private final RunBook book;
  private final InFlightRuns inFlight;

  /** Null until the workflow has set its plan versions up. */
  private PlanVersions versions;

  StartRules(Campaign campaign, List<PlannedRun> runs, RunBook book, InFlightRuns inFlight) {
    this.execution = campaign.execution();
    this.runs = runs;
    this.book = book;
    this.inFlight = inFlight;
    for (Experiment e : campaign.experiments()) {
      experiments.put(e.name(), e);
    }
  }

  /** Where the runs of amended experiments find their definitions (by the names they carry). */
  void amendedFrom(PlanVersions amended) {
    this.versions = amended;
  }

  Experiment experiment(PlannedRun run) {
    Experiment e = experiments.get(run.experiment());
    return e != null || versions == null ? e : versions.definition(run.experiment());
  }

  /** The plan index of the run that may start now, or -1. */
  int startable() {
    if (book.ending() != null || book.paused() || inFlight.size() >= book.concurrency()) {
      return -1;
    }
    int head = book.firstPending();
    if (head < 0) {
      return -1;
    }
    PlannedRun run = runs.get(head);
    if (startsNewCycle(run) && !inFlight.isEmpty()) {
      return -1; // a cycle starts when the previous one has ended (then cycleGap)
    }
    Experiment e = experiment(run);
    for (InFlight f : inFlight.all()) {
      if (GpuConflicts.mayOverlap(e, f.experiment)) {
        return -1;
      }
    }
    return head;
  }

  boolean startsNewCycle(PlannedRun run) {
    int last = book.lastStartedIndex();
    return last >= 0
        && execution.order() != RunOrder.GROUPED
        && runs.get(last).cycle() != run.cycle();
  }

  /**
   * {@code cycleGap} between cycles, {@code gap} between runs of a cycle. In grouped order an
   * experiment's cycles follow each other, so only {@code gap} applies there.
   */
  Duration pauseBefore(PlannedRun next) {
    if (book.lastStartedIndex() < 0) {
      return Duration.ZERO;
    }
    Duration pause = startsNewCycle(next) ? execution.cycleGap() : execution.gap();
    return pause == null || pause.isNegative() ? Duration.ZERO : pause;
  }
}
