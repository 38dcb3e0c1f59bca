package org.llenergymeasure.campaign.workflows.campaign;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The campaign's bookkeeping while its workflow runs: the status of every planned run, attempt
 * counters, failures, the pause flag. Plain Java with no Temporal calls (the workflow drives it),
 * so it is deterministic by construction and unit-testable; {@link #toState()} is what
 * continue-as-new carries.
 */
final class RunBook {

  static final int RECENT_FAILURES_KEPT = 10;

  private final char[] runs;
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
    pendingFloor = 0;
  }

  static RunBook from(CampaignState state) {
    return new RunBook(state);
  }

  CampaignState toState(boolean forContinueAsNew) {
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
        continuedAsNew + (forContinueAsNew ? 1 : 0));
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

  boolean nothingLeft() {
    return count(RunStatus.PENDING) == 0 && count(RunStatus.RUNNING) == 0;
  }

  /** The attempt number a new child of this run starts with. */
  int nextAttempt(String runId) {
    return attemptsUsed.getOrDefault(runId, 0) + 1;
  }

  void attemptUsed(String runId, int attempt) {
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
  void finished(int index, RunStatus status, long durationMillis, RecentFailure failure) {
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

  int consecutiveFailures() {
    return consecutiveFailures;
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

  int continuedAsNew() {
    return continuedAsNew;
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
}
