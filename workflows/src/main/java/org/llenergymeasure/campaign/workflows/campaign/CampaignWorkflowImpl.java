package org.llenergymeasure.campaign.workflows.campaign;

import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowCancellationType;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.ContinueAsNewOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.Cooldown;
import org.llenergymeasure.campaign.config.Execution;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.Plan;
import org.llenergymeasure.campaign.config.PlanBuilder;
import org.llenergymeasure.campaign.config.PlannedRun;
import org.llenergymeasure.campaign.config.RunOrder;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.LlemSearchAttributes;
import org.llenergymeasure.campaign.workflows.TaskQueues;
import org.llenergymeasure.campaign.workflows.host.CooldownRequest;
import org.llenergymeasure.campaign.workflows.host.CooldownResult;
import org.llenergymeasure.campaign.workflows.host.GpuCareActivities;
import org.llenergymeasure.campaign.workflows.host.IdleGpu;
import org.llenergymeasure.campaign.workflows.host.QuarantinedGpu;
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
 * decides when the next run may start and wakes on every change.
 *
 * <p>Continue-as-new drains: when the server suggests it (or the test hook says so), no new run
 * starts; once no child is in flight and every update handler has finished, the state record
 * continues as new. No child is ever in flight across it, so the parent-close policy never touches
 * a run.
 *
 * <p>Update handlers never block, so they cannot interleave with each other or with the loop in the
 * middle of a change: no lock is needed (a handler that awaited would need one).
 */
public class CampaignWorkflowImpl implements CampaignWorkflow {

  static final int MAX_CONCURRENCY = 64;

  private static final Logger log = Workflow.getLogger(CampaignWorkflowImpl.class);

  private CampaignInput input;
  private Campaign campaign;
  private List<PlannedRun> runs;

  /** Lookups only, never iterated (iteration order of a HashMap is not deterministic). */
  private final Map<String, Integer> indexOf = new HashMap<>();

  private final Map<String, Experiment> experiments = new HashMap<>();
  private RunBook book;

  /** null while the campaign goes on; completed, failed or canceled once it ends. */
  private String ending;

  private String endingReason;
  private final Map<String, InFlight> inFlight = new LinkedHashMap<>();
  private final Set<String> skipping = new LinkedHashSet<>();

  /** Bumped on every change the main loop may be waiting for. */
  private int changes;

  private int startedHere;
  private int gapServedFor = -1;
  private List<Object> lastPublished;

  /**
   * Idle readings by host, then UUID (cooldown.idleBaseline); sorted maps, so iteration is stable.
   */
  private Map<String, Map<String, IdleGpu>> idleBaselines = new TreeMap<>();

  /** GPUs the runs' cleanups quarantined, by "host/uuid" in the order reported. */
  private final Map<String, QuarantinedGpu> quarantined = new LinkedHashMap<>();

  /** A run whose child workflow (or cooldown after it) is in flight. */
  private static final class InFlight {
    final PlannedRun run;
    final Experiment experiment;
    final String since;
    int attempt;
    String host;
    List<String> gpus = List.of();
    boolean coolingDown;
    CancellationScope scope;
    Promise<RunOutcome> outcome;

    InFlight(PlannedRun run, Experiment experiment, int attempt, String since) {
      this.run = run;
      this.experiment = experiment;
      this.attempt = attempt;
      this.host = experiment.host();
      this.since = since;
    }
  }

  @Override
  public CampaignProgress run(CampaignInput input) {
    this.input = input;
    campaign = input.campaign();
    // The plan is re-derived from the compact campaign. Its expansion is part of the file format
    // and must not change; the client's hash proves this worker agrees. A worker that disagrees
    // fails its workflow task (retried, visible in the UI) rather than the campaign, so rolling
    // the worker back lets the campaign go on.
    Plan plan = PlanBuilder.plan(campaign);
    if (!plan.hash().equals(input.planHash())) {
      throw new IllegalStateException(
          "campaign "
              + campaign.name()
              + ": this worker expands the campaign into a different plan (hash "
              + plan.hash()
              + ") than the client that started it ("
              + input.planHash()
              + "); run the llem-campaign version that started the campaign");
    }
    runs = plan.runs();
    for (PlannedRun r : runs) {
      indexOf.put(r.runId(), r.index());
    }
    for (Experiment e : campaign.experiments()) {
      experiments.put(e.name(), e);
    }
    CampaignState state =
        input.state() != null
            ? input.state()
            : CampaignState.start(runs.size(), campaign.execution().concurrency());
    book = RunBook.from(state);
    idleBaselines = new TreeMap<>(state.idleBaselines());
    for (QuarantinedGpu q : state.quarantined()) {
      quarantined.put(q.host() + "/" + q.uuid(), q);
    }
    publish();
    try {
      if (input.state() == null && idleBaselineWanted()) {
        idleBaselines = IdleBaselines.measure(campaign, input.candidateHosts());
      }
      return loop();
    } catch (CanceledFailure canceled) {
      // Children are canceled with this workflow's scope; each records its attempt as Canceled
      // and removes its container. Wait for them where cancellation cannot reach, then end.
      Workflow.newDetachedCancellationScope(
              () -> {
                ending = CampaignProgress.CANCELED;
                endingReason = "canceled";
                Workflow.await(inFlight::isEmpty);
                publish();
              })
          .run();
      throw canceled;
    }
  }

  private CampaignProgress loop() {
    while (true) {
      if (ending != null) {
        Workflow.await(inFlight::isEmpty);
        publish();
        return progress();
      }
      // A paused campaign never ends by itself: paused by the circuit breaker with only failed
      // runs left, the user may still want retryFailed.
      if (inFlight.isEmpty() && book.firstPending() < 0 && !book.paused()) {
        ending = CampaignProgress.COMPLETED;
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
      int next = startable();
      if (next < 0) {
        waitForChange();
        continue;
      }
      Duration pause = pauseBefore(runs.get(next));
      if (!pause.isZero() && gapServedFor != next) {
        gapServedFor = next;
        Promise<Void> timer =
            Workflow.newTimer(
                pause, TimerOptions.newBuilder().setSummary(pauseSummary(next, pause)).build());
        // Re-decide after the pause: the campaign may have been paused or the run skipped.
        Workflow.await(() -> timer.isCompleted() || ending != null);
        continue;
      }
      start(runs.get(next));
    }
  }

  private void waitForChange() {
    int seen = changes;
    Workflow.await(() -> changes != seen);
  }

  private boolean continueAsNewDue() {
    if (book.firstPending() < 0) {
      return false;
    }
    Integer hook = input.continueAsNewAfterRuns();
    return Workflow.getInfo().isContinueAsNewSuggested() || hook != null && startedHere >= hook;
  }

  private void continueAsNew() {
    Workflow.await(Workflow::isEveryHandlerFinished);
    log.info(
        "campaign {} continues as new ({} runs pending)",
        campaign.name(),
        book.count(RunStatus.PENDING));
    Map<String, Object> memo = new LinkedHashMap<>();
    memo.put(CampaignMemo.PLAN_HASH, input.planHash());
    Object experimentHashes = Workflow.getMemo(CampaignMemo.EXPERIMENT_HASHES, Map.class);
    if (experimentHashes != null) {
      memo.put(CampaignMemo.EXPERIMENT_HASHES, experimentHashes);
    }
    memo.put(CampaignMemo.PROGRESS, progressMemo(progress()));
    Workflow.continueAsNew(
        ContinueAsNewOptions.newBuilder().setMemo(memo).build(),
        input.withState(
            book.toState(true).withHygiene(idleBaselines, new ArrayList<>(quarantined.values()))));
  }

  /** The plan index of the run that may start now, or -1. Runs start strictly in plan order. */
  private int startable() {
    if (ending != null || book.paused() || inFlight.size() >= book.concurrency()) {
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
    Experiment e = experiments.get(run.experiment());
    for (InFlight f : inFlight.values()) {
      if (GpuConflicts.mayOverlap(e, f.experiment)) {
        return -1;
      }
    }
    return head;
  }

  private boolean startsNewCycle(PlannedRun run) {
    int last = book.lastStartedIndex();
    return last >= 0
        && campaign.execution().order() != RunOrder.GROUPED
        && runs.get(last).cycle() != run.cycle();
  }

  /**
   * {@code cycleGap} between cycles, {@code gap} between runs of a cycle. In grouped order an
   * experiment's cycles follow each other, so only {@code gap} applies there.
   */
  private Duration pauseBefore(PlannedRun next) {
    if (book.lastStartedIndex() < 0) {
      return Duration.ZERO;
    }
    Execution execution = campaign.execution();
    Duration pause = startsNewCycle(next) ? execution.cycleGap() : execution.gap();
    return pause == null || pause.isNegative() ? Duration.ZERO : pause;
  }

  private String pauseSummary(int next, Duration pause) {
    return (startsNewCycle(runs.get(next)) ? "cycleGap " : "gap ")
        + pause
        + " before "
        + runs.get(next).runId();
  }

  private void start(PlannedRun run) {
    Experiment experiment = experiments.get(run.experiment());
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
        Workflow.newChildWorkflowStub(ExperimentWorkflow.class, childOptions(run, experiment));
    RunInput runInput =
        new RunInput(
            campaign.name(),
            run,
            experiment,
            campaign.attach(),
            input.candidateHosts(),
            runs.size(),
            attempt);
    // Its own scope, so `skip` can cancel this run alone.
    f.scope = Workflow.newCancellationScope(() -> f.outcome = Async.function(child::run, runInput));
    f.scope.run();
    inFlight.put(run.runId(), f);
    Async.procedure(this::runSlot, f);
    changes++;
    publish();
  }

  private ChildWorkflowOptions childOptions(PlannedRun run, Experiment experiment) {
    return ChildWorkflowOptions.newBuilder()
        .setWorkflowId(ExperimentWorkflow.workflowId(campaign.name(), run.runId()))
        .setTaskQueue(TaskQueues.CAMPAIGNS)
        // A run retried by retryFailed starts a new child under the same id.
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
        // A canceled run records its attempt and removes its container before the campaign goes on.
        .setCancellationType(ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setStaticSummary("run " + run.runId() + " (" + (run.index() + 1) + "/" + runs.size() + ")")
        .setStaticDetails(runDetails(run, experiment))
        .setTypedSearchAttributes(
            SearchAttributes.newBuilder()
                .set(LlemSearchAttributes.CAMPAIGN, campaign.name())
                .set(LlemSearchAttributes.EXPERIMENT, run.experiment())
                .set(LlemSearchAttributes.RUN, run.runId())
                .set(LlemSearchAttributes.STATUS, "running")
                .build())
        .build();
  }

  /** One run's life in the campaign: its child, its outcome, its cooldown. */
  private void runSlot(InFlight f) {
    RunOutcome outcome;
    try {
      outcome = f.outcome.get();
    } catch (ChildWorkflowFailure | CanceledFailure e) {
      outcome = unfinished(f, e);
    }
    record(f, outcome);
    noteQuarantined(outcome);
    Cooldown cooldown = campaign.execution().cooldown();
    if (cooldown != null
        && ending == null
        && !outcome.canceled()
        && outcome.host() != null
        && !outcome.routedUuids().isEmpty()) {
      f.coolingDown = true;
      changes++;
      publish();
      coolDown(outcome, cooldown);
    }
    inFlight.remove(f.run.runId());
    changes++;
    publish();
  }

  /**
   * Only a campaign that asks for the idle baseline takes it, and only such a campaign records the
   * version marker: every other campaign's history stays as it was.
   */
  private boolean idleBaselineWanted() {
    Cooldown cooldown = campaign.execution().cooldown();
    return cooldown != null
        && cooldown.idleBaseline()
        && Workflow.getVersion(IdleBaselines.CHANGE_ID, Workflow.DEFAULT_VERSION, 1) == 1;
  }

  private void noteQuarantined(RunOutcome outcome) {
    for (QuarantinedGpu q : outcome.quarantined()) {
      quarantined.put(q.host() + "/" + q.uuid(), q);
      log.warn(
          "campaign {}: GPU {} on {} is quarantined after {}: {}; no run gets it until it is clean or `{}`",
          campaign.name(),
          q.uuid(),
          q.host(),
          outcome.runId(),
          q.reason(),
          q.releaseCommand());
    }
  }

  private void coolDown(RunOutcome outcome, Cooldown cooldown) {
    CooldownRequest request = IdleBaselines.cooldownRequest(outcome, cooldown, idleBaselines);
    String summary =
        "cooldown after "
            + outcome.runId()
            + ": GPUs "
            + outcome.routedUuids().size()
            + " to "
            + IdleBaselines.target(cooldown)
            + ", at most "
            + cooldown.timeout();
    try {
      CooldownResult result =
          Workflow.newActivityStub(
                  GpuCareActivities.class,
                  CampaignActivityOptions.cooldown(outcome.host(), summary, cooldown.timeout()))
              .cooldown(request);
      log.info("cooldown after {}: {}", outcome.runId(), result.note());
    } catch (ActivityFailure | CanceledFailure e) {
      // A cooldown is a courtesy to the next measurement, never a reason to stop the campaign.
      log.warn("cooldown after {} did not complete: {}", outcome.runId(), e.getMessage());
    }
  }

  /** The child failed as a workflow (terminated, timed out, canceled before it started, a bug). */
  private static RunOutcome unfinished(InFlight f, RuntimeException e) {
    Throwable cause =
        e instanceof ChildWorkflowFailure c && c.getCause() != null ? c.getCause() : e;
    long now = Workflow.currentTimeMillis();
    if (cause instanceof CanceledFailure) {
      return new RunOutcome(
          f.run.runId(),
          RunOutcome.CANCELED,
          f.attempt,
          f.host,
          null,
          f.gpus,
          List.of(),
          Map.of(),
          now,
          now);
    }
    String type =
        cause instanceof ApplicationFailure app ? app.getType() : FailureTypes.WORKER_LOST;
    return new RunOutcome(
        f.run.runId(),
        RunOutcome.FAILED,
        f.attempt,
        f.host,
        new org.llenergymeasure.campaign.workflows.host.RunFailure(
            type, "the run's workflow ended without an outcome: " + cause.getMessage()),
        f.gpus,
        List.of(),
        Map.of(),
        now,
        now);
  }

  private void record(InFlight f, RunOutcome outcome) {
    PlannedRun run = f.run;
    book.attemptUsed(run.runId(), Math.max(outcome.attempt(), f.attempt));
    RunStatus status;
    RecentFailure failure = null;
    if (outcome.completed()) {
      status = RunStatus.COMPLETED;
    } else if (outcome.canceled()) {
      status = skipping.remove(run.runId()) ? RunStatus.SKIPPED : RunStatus.CANCELED;
    } else {
      status = RunStatus.FAILED;
      failure =
          outcome.failure() == null
              ? new RecentFailure(run.runId(), "Unknown", null)
              : new RecentFailure(
                  run.runId(), outcome.failure().type(), outcome.failure().message());
    }
    book.finished(
        run.index(), status, outcome.finishedAtMillis() - outcome.startedAtMillis(), failure);
    if (status == RunStatus.FAILED) {
      Execution execution = campaign.execution();
      if (execution.failFast() && ending == null) {
        ending = CampaignProgress.FAILED;
        endingReason = "failFast: run " + run.runId() + " failed with " + failure.type();
        for (InFlight other : inFlight.values()) {
          if (other != f) {
            other.scope.cancel();
          }
        }
      } else if (!book.paused()
          && book.consecutiveFailures() >= execution.maxConsecutiveFailures()) {
        book.pause(
            "circuit breaker: "
                + book.consecutiveFailures()
                + (book.consecutiveFailures() == 1 ? " run" : " runs")
                + " failed in a row (last: "
                + run.runId()
                + ", "
                + failure.type()
                + "); fix the cause, then resume (and retryFailed to run them again)");
      }
    }
    changes++;
    publish();
  }

  // ---- messages ----

  @Override
  public CampaignProgress progress() {
    if (book == null) {
      return new CampaignProgress(
          campaign == null ? null : campaign.name(),
          CampaignProgress.RUNNING,
          0,
          0,
          0,
          0,
          0,
          List.of(),
          List.of(),
          null,
          null,
          0);
    }
    List<RunningRun> running = new ArrayList<>();
    for (InFlight f : inFlight.values()) {
      if (!f.coolingDown) {
        running.add(new RunningRun(f.run.runId(), f.host, f.gpus, f.attempt, f.since));
      }
    }
    String state =
        ending != null
            ? ending
            : book.paused() ? CampaignProgress.PAUSED : CampaignProgress.RUNNING;
    return new CampaignProgress(
        campaign.name(),
        state,
        book.planned(),
        book.count(RunStatus.COMPLETED),
        book.count(RunStatus.FAILED),
        book.count(RunStatus.SKIPPED),
        book.count(RunStatus.PENDING),
        running,
        book.recentFailures(),
        book.etaSeconds(),
        ending != null ? endingReason : book.pausedReason(),
        book.concurrency(),
        new ArrayList<>(quarantined.values()));
  }

  @Override
  public void validatePause(String reason) {
    requireNotEnded("pause");
    if (book.paused()) {
      throw new IllegalArgumentException(
          "campaign " + campaign.name() + " is already paused: " + book.pausedReason());
    }
  }

  @Override
  public String pause(String reason) {
    book.pause(
        reason == null || reason.isBlank()
            ? "paused by a user"
            : "paused by a user: " + reason.strip());
    changes++;
    publish();
    return "campaign "
        + campaign.name()
        + " paused; "
        + inFlight.size()
        + " running run(s) finish, no new run starts until resume";
  }

  @Override
  public void validateResume() {
    requireNotEnded("resume");
    if (!book.paused()) {
      throw new IllegalArgumentException(
          "campaign " + campaign.name() + " is not paused; nothing to resume");
    }
  }

  @Override
  public String resume() {
    String was = book.pausedReason();
    book.resume();
    changes++;
    publish();
    return "campaign " + campaign.name() + " resumed (was " + was + ")";
  }

  @Override
  public void validateSkip(String runId) {
    requireNotEnded("skip");
    Integer index = runId == null ? null : indexOf.get(runId);
    if (index == null) {
      throw new IllegalArgumentException(
          "campaign "
              + campaign.name()
              + " has no run '"
              + runId
              + "'; run ids are <experiment>.c<cycle>, e.g. "
              + runs.get(0).runId()
              + " (see `llem-campaign plan FILE`)");
    }
    RunStatus status = book.status(index);
    if (status.isFinal()) {
      throw new IllegalArgumentException(
          "run "
              + runId
              + " is already "
              + status.label()
              + "; only a pending or running run can be skipped");
    }
    if (skipping.contains(runId)) {
      throw new IllegalArgumentException("run " + runId + " is already being skipped");
    }
  }

  @Override
  public String skip(String runId) {
    int index = indexOf.get(runId);
    if (book.status(index) == RunStatus.PENDING) {
      book.set(index, RunStatus.SKIPPED);
      changes++;
      publish();
      return "run " + runId + " skipped";
    }
    skipping.add(runId);
    inFlight.get(runId).scope.cancel();
    return "run "
        + runId
        + " is being canceled: its attempt is recorded as Canceled, its container removed,"
        + " and it ends as skipped";
  }

  @Override
  public void validateRetryFailed() {
    requireNotEnded("retryFailed");
    if (book.count(RunStatus.FAILED) == 0) {
      throw new IllegalArgumentException(
          "campaign " + campaign.name() + " has no failed run to retry");
    }
  }

  @Override
  public String retryFailed() {
    int n = book.retryFailed();
    changes++;
    publish();
    return n
        + " failed run(s) of campaign "
        + campaign.name()
        + " are pending again"
        + (book.paused()
            ? "; the campaign is paused (" + book.pausedReason() + "): resume it to start them"
            : "");
  }

  @Override
  public void validateSetConcurrency(int concurrency) {
    requireNotEnded("setConcurrency");
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new IllegalArgumentException(
          "concurrency must be between 1 and " + MAX_CONCURRENCY + ", got " + concurrency);
    }
  }

  @Override
  public String setConcurrency(int concurrency) {
    int was = book.concurrency();
    book.concurrency(concurrency);
    changes++;
    publish();
    return "campaign "
        + campaign.name()
        + " concurrency "
        + was
        + " -> "
        + concurrency
        + " (runs still never share a GPU)";
  }

  @Override
  public void runRouted(RunRouted routed) {
    InFlight f = inFlight.get(routed.runId());
    if (f == null || routed.attempt() < f.attempt) {
      return; // a late signal of an earlier attempt or an ended run
    }
    f.attempt = routed.attempt();
    f.host = routed.host();
    f.gpus = routed.uuids();
    Workflow.setCurrentDetails(CampaignMarkdown.render(progress()));
  }

  private void requireNotEnded(String update) {
    if (book == null) {
      throw new IllegalArgumentException(
          "the campaign has not started yet; try " + update + " again in a moment");
    }
    if (ending != null) {
      throw new IllegalArgumentException(
          "campaign "
              + campaign.name()
              + " has ended ("
              + ending
              + "); "
              + update
              + " changes nothing");
    }
  }

  // ---- visibility ----

  /**
   * Live details on every call; search attributes and memo only when what they show changed (each
   * upsert is a history event), so a campaign whose worker is down still shows where it stands.
   */
  private void publish() {
    CampaignProgress p = progress();
    Workflow.setCurrentDetails(CampaignMarkdown.render(p));
    List<Object> shown =
        List.of(
            p.state(),
            p.completed(),
            p.failed(),
            p.skipped(),
            p.pending(),
            String.valueOf(p.reason()));
    if (shown.equals(lastPublished)) {
      return;
    }
    lastPublished = shown;
    Workflow.upsertTypedSearchAttributes(
        LlemSearchAttributes.STATUS.valueSet(p.state()),
        LlemSearchAttributes.PLANNED.valueSet(p.planned()),
        LlemSearchAttributes.COMPLETED.valueSet(p.completed()),
        LlemSearchAttributes.FAILED.valueSet(p.failed()));
    Workflow.upsertMemo(Map.of(CampaignMemo.PROGRESS, progressMemo(p)));
  }

  private static Map<String, Object> progressMemo(CampaignProgress p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", p.state());
    m.put("reason", p.reason());
    m.put("planned", p.planned());
    m.put("completed", p.completed());
    m.put("failed", p.failed());
    m.put("skipped", p.skipped());
    m.put("pending", p.pending());
    return m;
  }

  private static String runDetails(PlannedRun run, Experiment experiment) {
    return "| experiment | cycle | image | GPUs | host |\n|---|---|---|---|---|\n| "
        + run.experiment()
        + " | "
        + run.cycle()
        + " | `"
        + experiment.image()
        + "` | "
        + experiment.gpus()
        + " | "
        + (experiment.host() == null ? "any" : experiment.host())
        + " |";
  }
}
