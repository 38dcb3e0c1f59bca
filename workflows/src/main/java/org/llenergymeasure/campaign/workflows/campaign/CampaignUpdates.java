package org.llenergymeasure.campaign.workflows.campaign;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.config.PlannedRun;

/**
 * The campaign's update handlers and their validators ({@link CampaignWorkflow}'s pause, resume,
 * skip, retryFailed and setConcurrency). A validator refuses with a reason and changes nothing (a
 * refused update never enters the history); a handler changes the book, tells the main loop ({@code
 * changed}) and answers one line saying what it did.
 *
 * <p>No handler blocks, so they cannot interleave with each other or with the main loop in the
 * middle of a change: no lock is needed (a handler that awaited would need one).
 */
final class CampaignUpdates {

  static final int MAX_CONCURRENCY = 64;

  private final String campaign;
  private final List<PlannedRun> runs;

  /** Lookups only, never iterated (iteration order of a HashMap is not deterministic). */
  private final Map<String, Integer> indexOf = new HashMap<>();

  private final RunBook book;
  private final InFlightRuns inFlight;
  private final Runnable changed;

  /**
   * @param changed wakes the main loop and publishes the new progress
   */
  CampaignUpdates(
      String campaign,
      List<PlannedRun> runs,
      RunBook book,
      InFlightRuns inFlight,
      Runnable changed) {
    this.campaign = campaign;
    this.runs = runs;
    this.book = book;
    this.inFlight = inFlight;
    this.changed = changed;
    for (PlannedRun r : runs) {
      indexOf.put(r.runId(), r.index());
    }
  }

  /** Runs appended to the plan while the campaign runs: they can be skipped too. */
  void appended(List<PlannedRun> added) {
    for (PlannedRun r : added) {
      indexOf.put(r.runId(), r.index());
    }
  }

  /** The plan was rewritten (an amend): every run id is looked up afresh. */
  void reindex() {
    indexOf.clear();
    for (PlannedRun r : runs) {
      indexOf.put(r.runId(), r.index());
    }
  }

  /** The refusal of an update that comes before the campaign's workflow has set itself up. */
  static IllegalArgumentException notStarted(String update) {
    return new IllegalArgumentException(
        "the campaign has not started yet; try " + update + " again in a moment");
  }

  void validatePause(String reason) {
    requireNotEnded("pause");
    if (book.paused()) {
      throw new IllegalArgumentException(
          "campaign " + campaign + " is already paused: " + book.pausedReason());
    }
  }

  String pause(String reason) {
    book.pause(
        reason == null || reason.isBlank()
            ? "paused by a user"
            : "paused by a user: " + reason.strip());
    changed.run();
    return "campaign "
        + campaign
        + " paused; "
        + inFlight.size()
        + " running run(s) finish, no new run starts until resume";
  }

  void validateResume() {
    requireNotEnded("resume");
    if (!book.paused()) {
      throw new IllegalArgumentException(
          "campaign " + campaign + " is not paused; nothing to resume");
    }
  }

  String resume() {
    String was = book.pausedReason();
    book.resume();
    changed.run();
    return "campaign " + campaign + " resumed (was " + was + ")";
  }

  void validateSkip(String runId) {
    requireNotEnded("skip");
    Integer index = runId == null ? null : indexOf.get(runId);
    if (index == null) {
      throw new IllegalArgumentException(
          "campaign "
              + campaign
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
    if (inFlight.isBeingSkipped(runId)) {
      throw new IllegalArgumentException("run " + runId + " is already being skipped");
    }
  }

  /** A pending run is skipped at once; a running one is canceled and ends as skipped. */
  String skip(String runId) {
    int index = indexOf.get(runId);
    if (book.status(index) == RunStatus.PENDING) {
      book.set(index, RunStatus.SKIPPED);
      changed.run();
      return "run " + runId + " skipped";
    }
    inFlight.skip(runId);
    return "run "
        + runId
        + " is being canceled: its attempt is recorded as Canceled, its container removed,"
        + " and it ends as skipped";
  }

  void validateRetryFailed() {
    requireNotEnded("retryFailed");
    if (book.count(RunStatus.FAILED) == 0) {
      throw new IllegalArgumentException("campaign " + campaign + " has no failed run to retry");
    }
  }

  String retryFailed() {
    int n = book.retryFailed();
    changed.run();
    return n
        + " failed run(s) of campaign "
        + campaign
        + " are pending again"
        + (book.paused()
            ? "; the campaign is paused (" + book.pausedReason() + "): resume it to start them"
            : "");
  }

  void validateSetConcurrency(int concurrency) {
    requireNotEnded("setConcurrency");
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new IllegalArgumentException(
          "concurrency must be between 1 and " + MAX_CONCURRENCY + ", got " + concurrency);
    }
  }

  String setConcurrency(int concurrency) {
    int was = book.concurrency();
    book.concurrency(concurrency);
    changed.run();
    return "campaign "
        + campaign
        + " concurrency "
        + was
        + " -> "
        + concurrency
        + " (runs still never share a GPU)";
  }

  private void requireNotEnded(String update) {
    if (book.ending() != null) {
      throw new IllegalArgumentException(
          "campaign "
              + campaign
              + " has ended ("
              + book.ending().label()
              + "); "
              + update
              + " changes nothing");
    }
  }
}
