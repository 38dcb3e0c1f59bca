package org.llenergymeasure.campaign.workflows.campaign;

import java.util.List;
import org.llenergymeasure.campaign.workflows.host.QuarantinedGpu;

/**
 * The answer of the {@code progress} query; its fields are those of {@code status --json} in
 * cli-contract.md, plus {@code reason} and {@code concurrency}.
 *
 * @param state running, paused, completed, failed or canceled
 * @param reason why it is paused (by whom, or the circuit breaker) or failed (failFast); null
 *     otherwise
 * @param etaSeconds null until a run has finished
 * @param quarantined GPUs this campaign's runs left quarantined (a process still on them or their
 *     memory not back after cleanup), as the cleanups found them; the host's {@code quarantine
 *     list} says which still are
 */
public record CampaignProgress(
    String campaign,
    CampaignStatus state,
    long planned,
    long completed,
    long failed,
    long skipped,
    long pending,
    List<RunningRun> running,
    List<RecentFailure> recentFailures,
    Long etaSeconds,
    String reason,
    int concurrency,
    List<QuarantinedGpu> quarantined) {

  public CampaignProgress {
    running = running == null ? List.of() : List.copyOf(running);
    recentFailures = recentFailures == null ? List.of() : List.copyOf(recentFailures);
    quarantined = quarantined == null ? List.of() : List.copyOf(quarantined);
  }

  /** Before the workflow has read its state: running, with nothing counted yet. */
  public static CampaignProgress notStarted(String campaign) {
    return new CampaignProgress(
        campaign,
        CampaignStatus.RUNNING,
        0,
        0,
        0,
        0,
        0,
        List.of(),
        List.of(),
        null,
        null,
        0,
        List.of());
  }
}
