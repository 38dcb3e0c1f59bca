package org.llenergymeasure.campaign.workflows.campaign;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param plannedMax adaptive cycles only: the most runs the plan can grow to ({@code planned} is
 *     the runs planned so far); null for a fixed count of cycles
 * @param convergence adaptive cycles only: per experiment, in campaign order, its interval so far
 *     (at most {@link AdaptivePlan#CONVERGENCE_SHOWN}); null for a fixed count of cycles
 * @param convergenceOmitted adaptive cycles only: experiments left out of {@code convergence}
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
    List<QuarantinedGpu> quarantined,
    @JsonInclude(JsonInclude.Include.NON_NULL) Long plannedMax,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<ExperimentConvergence> convergence,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer convergenceOmitted) {

  /** The progress of a campaign with a fixed count of cycles. */
  public CampaignProgress(
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
    this(
        campaign,
        state,
        planned,
        completed,
        failed,
        skipped,
        pending,
        running,
        recentFailures,
        etaSeconds,
        reason,
        concurrency,
        quarantined,
        null,
        null,
        null);
  }

  /** This progress with an adaptive plan's bound and convergence. */
  public CampaignProgress withCycles(
      Long max, List<ExperimentConvergence> experiments, Integer omitted) {
    return new CampaignProgress(
        campaign,
        state,
        planned,
        completed,
        failed,
        skipped,
        pending,
        running,
        recentFailures,
        etaSeconds,
        reason,
        concurrency,
        quarantined,
        max,
        experiments,
        omitted);
  }

  /** Whether the plan may still grow (adaptive cycles): the ETA counts the runs planned so far. */
  public boolean mayGrow() {
    return plannedMax != null && plannedMax > planned;
  }

  public CampaignProgress {
    running = running == null ? List.of() : List.copyOf(running);
    recentFailures = recentFailures == null ? List.of() : List.copyOf(recentFailures);
    quarantined = quarantined == null ? List.of() : List.copyOf(quarantined);
    convergence = convergence == null ? null : List.copyOf(convergence);
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
