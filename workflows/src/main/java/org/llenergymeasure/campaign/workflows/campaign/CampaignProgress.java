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
 * @param planVersion the plan version the campaign runs under: 1 for the file it started with, one
 *     more for each accepted {@code amend}; null in answers of workers before it
 * @param planHashes every plan hash the campaign has run under, oldest first; null as {@code
 *     planVersion}
 * @param amendments one line per accepted {@code amend}, oldest first, saying what it changed; null
 *     as {@code planVersion}
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
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer convergenceOmitted,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer planVersion,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<String> planHashes,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<String> amendments) {

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
        null,
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
        omitted,
        planVersion,
        planHashes,
        amendments);
  }

  /** This progress with the plan version, every plan hash and what each amend changed. */
  public CampaignProgress withPlan(int version, List<String> hashes, List<String> amended) {
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
        plannedMax,
        convergence,
        convergenceOmitted,
        version,
        hashes,
        amended);
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
    planHashes = planHashes == null ? null : List.copyOf(planHashes);
    amendments = amendments == null ? null : List.copyOf(amendments);
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
