package org.llenergymeasure.campaign.workflows.campaign;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.llenergymeasure.campaign.config.PlannedRun;
import org.llenergymeasure.campaign.workflows.host.IdleGpu;
import org.llenergymeasure.campaign.workflows.host.QuarantinedGpu;
import org.llenergymeasure.campaign.workflows.run.RunOutcome;

/**
 * The campaign's bookkeeping while its workflow runs: the status of every planned run, attempt
 * counters, failures, the pause flag, the idle baselines and quarantined GPUs, and how the campaign
 * ended. Plain Java with no Temporal calls (the workflow drives it), so it is deterministic by
 * construction and unit-testable. It is the one owner of {@link CampaignState}: {@link
 * #from(CampaignState)} reads it, {@link #continueAsNewState()} writes all of it.
 */
final class RunBook {

  static final int RECENT_FAILURES_KEPT = 10;

  private char[] runs;
  private final Map<RunStatus, Integer> counts = new EnumMap<>(RunStatus.class);
  private final TreeMap<String, Integer> attemptsUsed;
  private final List<RecentFailure> recentFailures;
  private long finishedRuns;
  private long finishedMillis;
  private int concurrency;
  private String pausedReason;
  private int consecutiveFailures;
  private int lastStartedIndex;
  private final int continuedAsNew;

  /** By host, then UUID; sorted maps, so iteration is stable. */
  private Map<String, Map<String, IdleGpu>> idleBaselines;

  /** By "host/uuid", in the order reported. */
  private final Map<String, QuarantinedGpu> quarantined = new LinkedHashMap<>();

  /** Null while the campaign goes on. */
  private CampaignStatus ending;

  private String endingReason;

  /** No run below this index is pending: keeps {@link #firstPending()} O(1) amortised. */
  private int pendingFloor;

  private RunBook(CampaignState s) {
    runs = s.runs().toCharArray();
    for (RunStatus status : RunStatus.values()) {
      counts.put(status, 0);
    }
    for (char c : runs) {
      RunStatus status = RunStatus.of(c);
      // A run that was running when the state was saved cannot exist (continue-as-new drains
      // first); were one there, it is pending again rather than lost.
      counts.merge(status == RunStatus.RUNNING ? RunStatus.PENDING : status, 1, Integer::sum);
    }
    for (int i = 0; i < runs.length; i++) {
      if (runs[i] == RunStatus.RUNNING.code()) {
        runs[i] = RunStatus.PENDING.code();
      }
    }
    attemptsUsed = new TreeMap<>(s.attemptsUsed());
    recentFailures = new ArrayList<>(s.recentFailures());
    finishedRuns = s.finishedRuns();
    finishedMillis = s.finishedMillis();
    concurrency = Math.max(1, s.concurrency());
    pausedReason = s.pausedReason();
    consecutiveFailures = s.consecutiveFailures();
    lastStartedIndex = s.lastStartedIndex();
    continuedAsNew = s.continuedAsNew();
    idleBaselines = new TreeMap<>(s.idleBaselines());
    for (QuarantinedGpu q : s.quarantined()) {
      quarantined(q);
    }
    pendingFloor = 0;
  }

  /** A campaign before its first run. */
  static RunBook start(int plannedRuns, int concurrency) {
    return new RunBook(
        new CampaignState(
            String.valueOf(RunStatus.PENDING.code()).repeat(plannedRuns),
            Map.of(),
            List.of(),
            0,
            0,
            concurrency,
            null,
            0,
            -1,
            0,
            null,
            null));
  }

  /** A campaign where its previous execution left it. */
  static RunBook from(CampaignState state) {
    return new RunBook(state);
  }

  /** Everything the next execution needs, counting this continue-as-new. */
  CampaignState continueAsNewState() {
    return new CampaignState(
        new String(runs),
        attemptsUsed,
        recentFailures,
        finishedRuns,
        finishedMillis,
        concurrency,
        pausedReason,
        consecutiveFailures,
        lastStartedIndex,
        continuedAsNew + 1,
        idleBaselines,
        quarantined());
  }

  /**
   * Appends {@code n} pending runs at the end of the plan (plan indices continue): how a plan grows
   * while the campaign runs (adaptive cycles).
   */
  void append(int n) {
    int old = runs.length;
    runs = java.util.Arrays.copyOf(runs, old + n);
    java.util.Arrays.fill(runs, old, old + n, RunStatus.PENDING.code());
    counts.merge(RunStatus.PENDING, n, Integer::sum);
  }

  /**
   * Drops the runs from plan index {@code from} on (never started: an amend plans them anew and
   * appends them again).
   */
  void truncate(int from) {
    for (int i = from; i < runs.length; i++) {
      counts.merge(RunStatus.of(runs[i]), -1, Integer::sum);
    }
    runs = java.util.Arrays.copyOf(runs, from);
    pendingFloor = Math.min(pendingFloor, from);
  }

  int planned() {
    return runs.length;
  }

  RunStatus status(int index) {
    return RunStatus.of(runs[index]);
  }

  void set(int index, RunStatus status) {
    RunStatus old = status(index);
    counts.merge(old, -1, Integer::sum);
    counts.merge(status, 1, Integer::sum);
    runs[index] = status.code();
    if (status == RunStatus.PENDING && index < pendingFloor) {
      pendingFloor = index;
    }
  }

  long count(RunStatus status) {
    return counts.get(status);
  }

  /** The lowest plan index still pending, or -1. Plan order is the start order. */
  int firstPending() {
    while (pendingFloor < runs.length && runs[pendingFloor] != RunStatus.PENDING.code()) {
      pendingFloor++;
    }
    return pendingFloor < runs.length ? pendingFloor : -1;
  }

  /** The attempt number a new child of this run starts with. */
  int nextAttempt(String runId) {
    return attemptsUsed.getOrDefault(runId, 0) + 1;
  }

  private void attemptUsed(String runId, int attempt) {
    attemptsUsed.merge(runId, attempt, Math::max);
  }

  void started(int index) {
    set(index, RunStatus.RUNNING);
    lastStartedIndex = index;
  }

  int lastStartedIndex() {
    return lastStartedIndex;
  }

  /** A run that ran to its end: counts for the ETA; a failure also for the circuit breaker. */
  private void finished(int index, RunStatus status, long durationMillis, RecentFailure failure) {
    set(index, status);
    if (status == RunStatus.COMPLETED || status == RunStatus.FAILED) {
      finishedRuns++;
      finishedMillis += Math.max(0, durationMillis);
    }
    if (status == RunStatus.COMPLETED) {
      consecutiveFailures = 0;
    } else if (status == RunStatus.FAILED) {
      consecutiveFailures++;
    }
    if (failure != null) {
      recentFailures.add(failure);
      while (recentFailures.size() > RECENT_FAILURES_KEPT) {
        recentFailures.remove(0);
      }
    }
  }

  /**
   * Records how a run ended: its attempts, its final status (a canceled run that a {@code skip}
   * canceled counts as skipped) and, when it failed, its failure.
   *
   * @param attempt the attempt the campaign started it with (the outcome's may be later)
   * @return the failure, or null when it did not fail
   */
  RecentFailure record(PlannedRun run, RunOutcome outcome, int attempt, boolean skipped) {
    attemptUsed(run.runId(), Math.max(outcome.attempt(), attempt));
    RunStatus status;
    RecentFailure failure = null;
    if (outcome.completed()) {
      status = RunStatus.COMPLETED;
    } else if (outcome.canceled()) {
      status = skipped ? RunStatus.SKIPPED : RunStatus.CANCELED;
    } else {
      status = RunStatus.FAILED;
      failure =
          outcome.failure() == null
              ? new RecentFailure(run.runId(), "Unknown", null)
              : new RecentFailure(
                  run.runId(), outcome.failure().type(), outcome.failure().message());
    }
    finished(run.index(), status, outcome.finishedAtMillis() - outcome.startedAtMillis(), failure);
    return failure;
  }

  int consecutiveFailures() {
    return consecutiveFailures;
  }

  /**
   * The circuit breaker: pauses the campaign when {@code failure} makes {@code max} failures in a
   * row, unless it is paused already.
   */
  void tripCircuitBreaker(int max, RecentFailure failure) {
    if (paused() || consecutiveFailures < max) {
      return;
    }
    pause(
        "circuit breaker: "
            + consecutiveFailures
            + (consecutiveFailures == 1 ? " run" : " runs")
            + " failed in a row (last: "
            + failure.runId()
            + ", "
            + failure.type()
            + "); fix the cause, then resume (and retryFailed to run them again)");
  }

  /** Every failed run back to pending; returns how many. */
  int retryFailed() {
    int n = 0;
    for (int i = 0; i < runs.length; i++) {
      if (runs[i] == RunStatus.FAILED.code()) {
        set(i, RunStatus.PENDING);
        n++;
      }
    }
    consecutiveFailures = 0;
    return n;
  }

  int concurrency() {
    return concurrency;
  }

  void concurrency(int n) {
    concurrency = n;
  }

  String pausedReason() {
    return pausedReason;
  }

  boolean paused() {
    return pausedReason != null;
  }

  void pause(String reason) {
    pausedReason = reason;
  }

  /** Resuming also resets the circuit breaker: the user says the cause is fixed. */
  void resume() {
    pausedReason = null;
    consecutiveFailures = 0;
  }

  List<RecentFailure> recentFailures() {
    return List.copyOf(recentFailures);
  }

  Map<String, Map<String, IdleGpu>> idleBaselines() {
    return idleBaselines;
  }

  /** The readings taken at campaign start (once: later executions carry them). */
  void idleBaselines(Map<String, Map<String, IdleGpu>> measured) {
    idleBaselines = new TreeMap<>(measured);
  }

  /** A GPU a run's cleanup left quarantined; reported again, it keeps its place. */
  void quarantined(QuarantinedGpu gpu) {
    quarantined.put(gpu.host() + "/" + gpu.uuid(), gpu);
  }

  List<QuarantinedGpu> quarantined() {
    return new ArrayList<>(quarantined.values());
  }

  /** Ends the campaign: completed, failed (failFast) or canceled; {@code reason} may be null. */
  void end(CampaignStatus status, String reason) {
    ending = status;
    endingReason = reason;
  }

  /** How the campaign ended; null while it goes on. */
  CampaignStatus ending() {
    return ending;
  }

  /**
   * Seconds left, from the mean duration of the runs that finished so far, spread over the
   * concurrency; null before the first run finished.
   */
  Long etaSeconds() {
    if (finishedRuns == 0) {
      return null;
    }
    long remaining = count(RunStatus.PENDING) + count(RunStatus.RUNNING);
    long mean = finishedMillis / finishedRuns;
    return remaining * mean / Math.max(1, concurrency) / 1000;
  }

  /** The progress query's answer, with the runs in flight as the workflow sees them. */
  CampaignProgress progress(String campaign, List<RunningRun> running) {
    CampaignStatus state =
        ending != null ? ending : paused() ? CampaignStatus.PAUSED : CampaignStatus.RUNNING;
    return new CampaignProgress(
        campaign,
        state,
        planned(),
        count(RunStatus.COMPLETED),
        count(RunStatus.FAILED),
        count(RunStatus.SKIPPED),
        count(RunStatus.PENDING),
        running,
        recentFailures(),
        etaSeconds(),
        ending != null ? endingReason : pausedReason,
        concurrency,
        quarantined());
  }
}
