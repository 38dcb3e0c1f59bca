package org.llenergymeasure.campaign.workflows.campaign;

import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ContinueAsNewOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.unsafe.WorkflowUnsafe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.Cooldown;
import org.llenergymeasure.campaign.config.Execution;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.PlannedRun;
import org.llenergymeasure.campaign.workflows.plan.CampaignPack;
import org.llenergymeasure.campaign.workflows.run.ExperimentWorkflow;
import org.llenergymeasure.campaign.workflows.run.RunInput;
import org.llenergymeasure.campaign.workflows.run.RunOutcome;
import org.llenergymeasure.campaign.workflows.run.RunRouted;
import org.slf4j.Logger;

/**
 * Runs the plan as ExperimentWorkflow children: in plan order, at most {@code concurrency} at once
 * and never two whose explicit GPU selections overlap, with {@code gap}/{@code cycleGap} as durable
 * timers and the optional cooldown after each run. Each run is a small coroutine ({@link #runSlot})
 * that waits for its child, records the outcome and cools down; the main loop ({@link #loop}) only
 * starts the next run when {@link StartRules} allow it, and wakes on every change.
 *
 * <p>Continue-as-new drains: when the server suggests it (or the test hook says so), no new run
 * starts; once no child is in flight and every update handler has finished, the state record
 * continues as new. No child is ever in flight across it, so the parent-close policy never touches
 * a run.
 *
 * <p>The bookkeeping is {@link RunBook}'s, the update handlers are {@link CampaignUpdates}', and
 * what the campaign shows (Web UI, search attributes, memo) is {@link CampaignVisibility}'s.
 */
public class CampaignWorkflowImpl implements CampaignWorkflow {

  private static final Logger log = Workflow.getLogger(CampaignWorkflowImpl.class);

  private CampaignInput input;
  private Campaign campaign;
  private List<PlannedRun> runs;
  private RunBook book;

  /** Adaptive cycles' growing plan; null for a fixed count of cycles. */
  private PlanGrowth growth;

  private StartRules rules;
  private final InFlightRuns inFlight = new InFlightRuns();
  private final CampaignVisibility visibility = new CampaignVisibility();

  /** Null until {@link #run} has set the book up: updates before that are refused. */
  private CampaignUpdates updates;

  /** The file's versions ({@code amend}) and the amend handler; null as {@code updates}. */
  private PlanVersions versions;

  private CampaignAmend amend;

  /** Bumped on every change the main loop may be waiting for. */
  private int changes;

  private int startedHere;
  private int gapServedFor = -1;

  @Override
  public CampaignProgress run(CampaignInput input) {
    this.input = input;
    // Unpacking a campaign of 100,000 experiments, deriving its runs and indexing them is pure,
    // deterministic work of a fraction of a second, and of seconds on a loaded machine: the
    // deadlock detector (meant for a workflow thread that blocks) is off for it. The plan hash,
    // which encodes every run's experiment, is taken by a local activity (CampaignPlan).
    campaign = WorkflowUnsafe.deadlockDetectorOff(input::unpackedCampaign);
    runs = CampaignPlan.runs(input, campaign);
    growth = PlanGrowth.of(campaign, input.state(), runs);
    // A plan that an amend may rewrite in place (adaptive cycles' grows in place already).
    runs = growth != null ? growth.runs() : new ArrayList<>(runs);
    WorkflowUnsafe.deadlockDetectorOff(
        () -> {
          versions = PlanVersions.of(campaign, input.planHash(), input.state(), runs);
          book =
              input.state() != null
                  ? RunBook.from(AttemptCodes.expand(input.state(), runs))
                  : RunBook.start(runs.size(), campaign.execution().concurrency());
          rules = new StartRules(campaign, runs, book, inFlight);
          rules.amendedFrom(versions);
          updates = new CampaignUpdates(campaign.name(), runs, book, inFlight, this::changed);
          amend =
              new CampaignAmend(
                  campaign.name(),
                  runs,
                  book,
                  updates,
                  versions,
                  this::changed,
                  () -> firstPacked().length());
          if (growth != null) {
            growth.attach(book, updates);
          }
        });
    publish();
    try {
      if (input.state() == null && idleBaselineWanted()) {
        book.idleBaselines(IdleBaselines.measure(campaign, input.candidateHosts()));
      }
      return loop();
    } catch (CanceledFailure canceled) {
      // Children are canceled with this workflow's scope; each records its attempt as Canceled
      // and removes its container. Wait for them where cancellation cannot reach, then end.
      Workflow.newDetachedCancellationScope(
              () -> {
                book.end(CampaignStatus.CANCELED, "canceled");
                Workflow.await(inFlight::isEmpty);
                publish();
              })
          .run();
      throw canceled;
    }
  }

  private CampaignProgress loop() {
    while (true) {
      if (book.ending() != null) {
        Workflow.await(inFlight::isEmpty);
        publish();
        return progress();
      }
      // Adaptive cycles: the last planned cycle has ended; plan the next one if any is needed.
      if (inFlight.isEmpty() && book.firstPending() < 0 && !book.paused() && grow()) {
        continue;
      }
      // A paused campaign never ends by itself: paused by the circuit breaker with only failed
      // runs left, the user may still want retryFailed.
      if (inFlight.isEmpty() && book.firstPending() < 0 && !book.paused()) {
        book.end(CampaignStatus.COMPLETED, null);
        publish();
        return progress();
      }
      if (continueAsNewDue()) {
        if (inFlight.isEmpty()) {
          continueAsNew();
        }
        waitForChange();
        continue;
      }
      int next = rules.startable();
      if (next < 0) {
        waitForChange();
        continue;
      }
      Duration pause = rules.pauseBefore(runs.get(next));
      if (!pause.isZero() && gapServedFor != next) {
        gapServedFor = next;
        String summary =
            CampaignVisibility.gapSummary(
                rules.startsNewCycle(runs.get(next)), pause, runs.get(next).runId());
        Promise<Void> timer =
            Workflow.newTimer(pause, TimerOptions.newBuilder().setSummary(summary).build());
        // Re-decide after the pause: the campaign may have been paused or the run skipped.
        Workflow.await(() -> timer.isCompleted() || book.ending() != null);
        continue;
      }
      start(runs.get(next));
    }
  }

  /** Adaptive cycles: plans the next cycle if any experiment needs one; false otherwise. */
  private boolean grow() {
    if (growth == null || !growth.nextCycle()) {
      return false;
    }
    changed();
    return true;
  }

  private void waitForChange() {
    int seen = changes;
    Workflow.await(() -> changes != seen);
  }

  /** Wakes the main loop and publishes the new progress. */
  private void changed() {
    changes++;
    publish();
  }

  private void publish() {
    visibility.publish(progress());
  }

  private boolean continueAsNewDue() {
    if (book.firstPending() < 0) {
      return false;
    }
    Integer hook = input.continueAsNewAfterRuns();
    return Workflow.getInfo().isContinueAsNewSuggested() || (hook != null && startedHere >= hook);
  }

  private void continueAsNew() {
    Workflow.await(Workflow::isEveryHandlerFinished);
    log.info(
        "campaign {} continues as new ({} runs pending)",
        campaign.name(),
        book.count(RunStatus.PENDING));
    Map<String, Object> memo = CampaignVisibility.continueAsNewMemo(input.planHash(), progress());
    Workflow.continueAsNew(
        ContinueAsNewOptions.newBuilder().setMemo(memo).build(),
        input.withState(
            versions.into(withCycles(AttemptCodes.compact(book.continueAsNewState(), runs)))));
  }

  private CampaignState withCycles(CampaignState state) {
    return growth == null ? state : growth.into(state);
  }

  private void start(PlannedRun run) {
    Experiment experiment = rules.experiment(run);
    int attempt = book.nextAttempt(run.runId());
    book.started(run.index());
    startedHere++;
    InFlight f =
        new InFlight(
            run,
            experiment,
            attempt,
            Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString());
    ExperimentWorkflow child =
        Workflow.newChildWorkflowStub(
            ExperimentWorkflow.class,
            RunChildOptions.of(campaign.name(), run, experiment, runs.size()));
    RunInput runInput =
        new RunInput(
            campaign.name(),
            run,
            experiment,
            campaign.attach(),
            input.candidateHosts(),
            runs.size(),
            attempt,
            growth == null ? null : growth.metric(),
            campaign.placementFor(experiment),
            campaign.placementFor(experiment) != null && idleBaselineWanted()
                ? List.copyOf(book.idleBaselines().keySet())
                : null);
    // Its own scope, so `skip` can cancel this run alone.
    f.scope = Workflow.newCancellationScope(() -> f.outcome = Async.function(child::run, runInput));
    f.scope.run();
    inFlight.add(f);
    Async.procedure(this::runSlot, f);
    changed();
  }

  /** One run's life in the campaign: its child, its outcome, its cooldown. */
  private void runSlot(InFlight f) {
    RunOutcome outcome;
    try {
      outcome = f.outcome.get();
    } catch (ChildWorkflowFailure | CanceledFailure e) {
      outcome = f.unfinished(e, Workflow.currentTimeMillis());
    }
    record(f, outcome);
    RunAftercare.noteQuarantined(book, campaign.name(), outcome);
    // A host that joined after the campaign started: the baseline its first run there took.
    if (outcome.joinedHostBaseline() != null) {
      book.idleBaselines(IdleBaselines.withJoined(book.idleBaselines(), outcome));
    }
    Cooldown cooldown = campaign.execution().cooldown();
    if (cooldown != null
        && book.ending() == null
        && !outcome.canceled()
        && outcome.host() != null
        && !outcome.routedUuids().isEmpty()) {
      f.coolingDown = true;
      changed();
      RunAftercare.coolDown(book, outcome, cooldown);
    }
    inFlight.remove(f);
    changed();
  }

  /** Only a campaign that asks for the idle baseline takes it. */
  private boolean idleBaselineWanted() {
    Cooldown cooldown = campaign.execution().cooldown();
    return cooldown != null && cooldown.idleBaseline();
  }

  private void record(InFlight f, RunOutcome outcome) {
    boolean skipped = outcome.canceled() && inFlight.takeSkip(f.run.runId());
    RecentFailure failure = book.record(f.run, outcome, f.attempt, skipped);
    if (growth != null && outcome.completed()) {
      growth.record(f.run.experiment(), outcome.metric());
    }
    if (failure != null) {
      Execution execution = campaign.execution();
      if (execution.failFast() && book.ending() == null) {
        book.end(
            CampaignStatus.FAILED,
            "failFast: run " + failure.runId() + " failed with " + failure.type());
        inFlight.cancelAllBut(f);
      } else {
        book.tripCircuitBreaker(execution.maxConsecutiveFailures(), failure);
      }
    }
    changed();
  }

  // ---- messages: the update handlers are CampaignUpdates' ----

  @Override
  public CampaignProgress progress() {
    if (book == null) {
      return CampaignProgress.notStarted(campaign == null ? null : campaign.name());
    }
    CampaignProgress p = book.progress(campaign.name(), inFlight.running());
    return versions.progress(growth == null ? p : growth.progress(p));
  }

  @Override
  public void runRouted(RunRouted routed) {
    if (inFlight.routed(routed)) {
      CampaignVisibility.showDetails(progress());
    }
  }

  @Override
  public void validatePause(String reason) {
    started("pause").validatePause(reason);
  }

  @Override
  public String pause(String reason) {
    return updates.pause(reason);
  }

  @Override
  public void validateResume() {
    started("resume").validateResume();
  }

  @Override
  public String resume() {
    return updates.resume();
  }

  @Override
  public void validateSkip(String runId) {
    started("skip").validateSkip(runId);
  }

  @Override
  public String skip(String runId) {
    return updates.skip(runId);
  }

  @Override
  public void validateRetryFailed() {
    started("retryFailed").validateRetryFailed();
  }

  @Override
  public String retryFailed() {
    return updates.retryFailed();
  }

  @Override
  public void validateSetConcurrency(int concurrency) {
    started("setConcurrency").validateSetConcurrency(concurrency);
  }

  @Override
  public String setConcurrency(int concurrency) {
    return updates.setConcurrency(concurrency);
  }

  @Override
  public void validateAmend(AmendRequest request) {
    started("amend");
    amend.validate(request);
  }

  @Override
  public String amend(AmendRequest request) {
    return amend.amend(request);
  }

  @Override
  public CurrentPlan currentPlan() {
    if (versions == null) {
      throw CampaignUpdates.notStarted("the plan query");
    }
    return versions.currentPlan(firstPacked());
  }

  /** The file the campaign started with, packed. */
  private String firstPacked() {
    return input.packedCampaign() != null ? input.packedCampaign() : CampaignPack.pack(campaign);
  }

  private CampaignUpdates started(String update) {
    if (updates == null) {
      throw CampaignUpdates.notStarted(update);
    }
    return updates;
  }
}
