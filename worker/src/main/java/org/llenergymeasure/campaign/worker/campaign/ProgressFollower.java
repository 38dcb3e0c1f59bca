package org.llenergymeasure.campaign.worker.campaign;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import org.llenergymeasure.campaign.config.Durations;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.RecentFailure;
import org.llenergymeasure.campaign.workflows.campaign.RunningRun;

/**
 * Follows a campaign until it ends, printing one line per event (a run started, finished, failed),
 * and answers the exit code of cli-contract.md.
 */
public final class ProgressFollower {

  private final WorkflowClient client;
  private final CampaignStarter starter;
  private final Consumer<String> say;
  private final Duration poll;
  private final Consumer<CampaignProgress> onProgress;
  private final FinishedRuns finished;
  private final List<String> waiting = new java.util.ArrayList<>();

  /**
   * @param say one line per event (a run started, finished, failed)
   * @param onProgress every progress seen, for a live view (the final one included)
   */
  public ProgressFollower(
      WorkflowClient client,
      Consumer<String> say,
      Duration poll,
      Consumer<CampaignProgress> onProgress) {
    this(client, say, poll, onProgress, null);
  }

  /**
   * As above, naming each run this host's worker completed (from {@code ledger}, the campaign's
   * ledger.jsonl under this host's results folder; null: counts only).
   */
  public ProgressFollower(
      WorkflowClient client,
      Consumer<String> say,
      Duration poll,
      Consumer<CampaignProgress> onProgress,
      java.nio.file.Path ledger) {
    this.client = client;
    this.starter = new CampaignStarter(client);
    this.say = say;
    this.poll = poll;
    this.onProgress = onProgress;
    this.finished = ledger == null ? null : new FinishedRuns(ledger);
  }

  /** Blocks until the campaign's workflow closes; returns its final progress (or null) and code. */
  public Ending follow(String workflowId) throws InterruptedException {
    WorkflowStub stub = client.newUntypedWorkflowStub(workflowId);
    CampaignProgress last = null;
    Set<String> reportedFailures = new HashSet<>();
    String lastRunning = null;
    while (true) {
      var described = starter.describe(workflowId);
      WorkflowExecutionStatus status = described.getWorkflowExecutionInfo().getStatus();
      if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
          && status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW) {
        Ending ending = ending(stub, status);
        if (ending.progress() != null && last != null) {
          report(last, ending.progress(), reportedFailures);
        }
        if (ending.progress() != null) {
          onProgress.accept(ending.progress());
        }
        return ending;
      }
      CampaignProgress p = query(stub);
      if (p != null) {
        report(last, p, reportedFailures);
        String running = p.running().isEmpty() ? null : p.running().get(0).runId();
        if (running != null && !running.equals(lastRunning)) {
          RunningRun r = p.running().get(0);
          say.accept(String.format("[%s] ▶ %s", counts(p), r.runId()));
        }
        lastRunning = running;
        last = p;
        onProgress.accept(p);
      }
      Thread.sleep(poll.toMillis());
    }
  }

  /** Runs that finished since the last look: failures with their type, then completions. */
  private void report(CampaignProgress last, CampaignProgress p, Set<String> reportedFailures) {
    for (RecentFailure f : p.recentFailures()) {
      if (reportedFailures.add(f.runId() + "|" + f.type() + "|" + f.message())) {
        say.accept(
            String.format(
                "[%s] ✗ %s failed: %s: %s",
                counts(p),
                f.runId(),
                f.type(),
                // One line: a message may hold the run's last output lines.
                f.message() == null ? "" : f.message().strip().replaceAll("\\s*\\R\\s*", " | ")));
      }
    }
    String eta =
        p.etaSeconds() == null || p.pending() == 0
            ? ""
            : ", ETA " + Durations.human(Duration.ofSeconds(p.etaSeconds()));
    if (finished != null) {
      waiting.addAll(finished.completedSinceLastLook());
    }
    if (last == null) {
      waiting.clear(); // the first look: what finished before it is not news (nor counted below)
      return;
    }
    // A run's ledger line is written before the campaign counts it: a named line waits for its
    // count, so the [done/planned] prefix includes it.
    long due = Math.max(0, p.completed() - last.completed());
    while (due > 0 && !waiting.isEmpty()) {
      due--;
      String line = waiting.remove(0);
      say.accept(String.format("[%s] ✓ %s%s", counts(p), line, due == 0 ? eta : ""));
    }
    if (due > 0) {
      // Counted as completed, and no ledger line of this host names them: another host ran them.
      say.accept(
          String.format(
              "[%s] ✓ %d run%s completed%s%s",
              counts(p),
              due,
              due == 1 ? "" : "s",
              finished == null ? "" : " on another host",
              eta));
    }
    long newlySkipped = p.skipped() - last.skipped();
    if (newlySkipped > 0) {
      say.accept(
          String.format(
              "[%s] - %d run%s skipped", counts(p), newlySkipped, newlySkipped == 1 ? "" : "s"));
    }
  }

  private static CampaignProgress query(WorkflowStub stub) {
    try {
      return stub.query("progress", CampaignProgress.class);
    } catch (RuntimeException e) {
      return null; // no worker has picked up the workflow yet, or it is between tasks
    }
  }

  private Ending ending(WorkflowStub stub, WorkflowExecutionStatus status) {
    try {
      CampaignProgress p = stub.getResult(CampaignProgress.class);
      int code = p.failed() > 0 ? ExitCodes.RUNS_FAILED : ExitCodes.OK;
      return new Ending(p, code, null);
    } catch (WorkflowFailedException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return new Ending(
          null,
          ExitCodes.RUNS_FAILED,
          status.name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(Locale.ROOT)
              + ": "
              + cause.getMessage());
    }
  }

  private static String counts(CampaignProgress p) {
    return (p.completed() + p.failed() + p.skipped()) + "/" + p.planned();
  }

  /** How the campaign ended: final progress when it completed, the reason otherwise. */
  public record Ending(CampaignProgress progress, int exitCode, String problem) {}
}
