package org.llenergymeasure.campaign.workflows.campaign;

import java.util.List;

/**
 * The answer of the {@code progress} query; its fields are those of {@code status --json} in
 * cli-contract.md, plus {@code reason} and {@code concurrency}.
 *
 * @param state running, paused, completed, failed or canceled
 * @param reason why it is paused (by whom, or the circuit breaker) or failed (failFast); null
 *     otherwise
 * @param etaSeconds null until a run has finished
 */
public record CampaignProgress(
    String campaign,
    String state,
    long planned,
    long completed,
    long failed,
    long skipped,
    long pending,
    List<RunningRun> running,
    List<RecentFailure> recentFailures,
    Long etaSeconds,
    String reason,
    int concurrency) {

  public static final String RUNNING = "running";
  public static final String PAUSED = "paused";
  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";
  public static final String CANCELED = "canceled";

  public CampaignProgress {
    running = running == null ? List.of() : List.copyOf(running);
    recentFailures = recentFailures == null ? List.of() : List.copyOf(recentFailures);
  }
}
