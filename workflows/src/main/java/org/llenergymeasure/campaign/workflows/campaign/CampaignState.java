package org.llenergymeasure.campaign.workflows.campaign;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.llenergymeasure.campaign.workflows.cycles.MetricStats;
import org.llenergymeasure.campaign.workflows.host.IdleGpu;
import org.llenergymeasure.campaign.workflows.host.QuarantinedGpu;

/**
 * The one small state of a campaign, carried across continue-as-new (which happens only when no run
 * is in flight, so there is no running run in it). Compact on purpose: one letter per planned run
 * ({@link RunStatus#code()}), attempt counters only for runs that ran. {@link RunBook} reads it at
 * the start of each execution and writes all of it for the next.
 *
 * @param runs one status code per planned run, by plan index
 * @param attemptsUsed the highest attempt number each run has used so far (a retried run continues
 *     from there, so its containers, folders and ledger keys never collide with earlier ones)
 * @param recentFailures the last few failures, newest last
 * @param finishedRuns runs that ran to a final status (for the ETA)
 * @param finishedMillis their summed durations
 * @param concurrency runs at once (the file's value until {@code setConcurrency} changes it)
 * @param pausedReason why the campaign is paused; null while it is not
 * @param consecutiveFailures failures in a row, for the circuit breaker
 * @param lastStartedIndex plan index of the run started last, -1 before the first (gap rules)
 * @param continuedAsNew how many times this campaign continued as new
 * @param idleBaselines the GPUs' idle readings taken at campaign start, by host then UUID (only
 *     with {@code cooldown.idleBaseline}); measured once, so carried rather than measured again
 * @param quarantined GPUs the campaign's runs left quarantined, as their cleanups reported them
 * @param attempts when set, {@code attemptsUsed} in compact form ({@link AttemptCodes}): one
 *     character per planned run, by plan index, and {@code attemptsUsed} holds only the counts too
 *     high for one character; null in states written before it (then {@code attemptsUsed} holds
 *     every run's count)
 * @param cyclesPlanned adaptive cycles only: per experiment, by index in the campaign, the cycles
 *     planned for it so far ({@link AdaptivePlan} rebuilds the grown plan from it); null for a
 *     fixed count of cycles and in states written before it
 * @param metricStats adaptive cycles only: per experiment, by index, the running statistics of the
 *     metric over its valid runs; null as {@code cyclesPlanned}
 * @param planVersion the plan version it runs under (1 for the file it started with, one more for
 *     each accepted {@code amend}); null until the first amend (then 1)
 * @param planHashes every plan hash it has run under, oldest first; null until the first amend
 *     (then only the input's hash)
 * @param amendments every accepted amend, oldest first, enough to rebuild the amended plan ({@link
 *     PlanVersions}); null until the first amend
 */
public record CampaignState(
    String runs,
    Map<String, Integer> attemptsUsed,
    List<RecentFailure> recentFailures,
    long finishedRuns,
    long finishedMillis,
    int concurrency,
    String pausedReason,
    int consecutiveFailures,
    int lastStartedIndex,
    int continuedAsNew,
    Map<String, Map<String, IdleGpu>> idleBaselines,
    List<QuarantinedGpu> quarantined,
    String attempts,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<Integer> cyclesPlanned,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<MetricStats> metricStats,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer planVersion,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<String> planHashes,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<Amendment> amendments) {

  /** A state of a fixed count of cycles. */
  public CampaignState(
      String runs,
      Map<String, Integer> attemptsUsed,
      List<RecentFailure> recentFailures,
      long finishedRuns,
      long finishedMillis,
      int concurrency,
      String pausedReason,
      int consecutiveFailures,
      int lastStartedIndex,
      int continuedAsNew,
      Map<String, Map<String, IdleGpu>> idleBaselines,
      List<QuarantinedGpu> quarantined,
      String attempts) {
    this(
        runs,
        attemptsUsed,
        recentFailures,
        finishedRuns,
        finishedMillis,
        concurrency,
        pausedReason,
        consecutiveFailures,
        lastStartedIndex,
        continuedAsNew,
        idleBaselines,
        quarantined,
        attempts,
        null,
        null,
        null,
        null,
        null);
  }

  /** A state with {@code attemptsUsed} written out in full. */
  public CampaignState(
      String runs,
      Map<String, Integer> attemptsUsed,
      List<RecentFailure> recentFailures,
      long finishedRuns,
      long finishedMillis,
      int concurrency,
      String pausedReason,
      int consecutiveFailures,
      int lastStartedIndex,
      int continuedAsNew,
      Map<String, Map<String, IdleGpu>> idleBaselines,
      List<QuarantinedGpu> quarantined) {
    this(
        runs,
        attemptsUsed,
        recentFailures,
        finishedRuns,
        finishedMillis,
        concurrency,
        pausedReason,
        consecutiveFailures,
        lastStartedIndex,
        continuedAsNew,
        idleBaselines,
        quarantined,
        null);
  }

  public CampaignState {
    attemptsUsed = attemptsUsed == null ? Map.of() : new TreeMap<>(attemptsUsed);
    recentFailures = recentFailures == null ? List.of() : List.copyOf(recentFailures);
    idleBaselines = idleBaselines == null ? Map.of() : new TreeMap<>(idleBaselines);
    quarantined = quarantined == null ? List.of() : List.copyOf(quarantined);
  }

  /** This state with {@code attemptsUsed} and {@code attempts} replaced ({@link AttemptCodes}). */
  CampaignState withAttempts(Map<String, Integer> used, String codes) {
    return new CampaignState(
        runs,
        used,
        recentFailures,
        finishedRuns,
        finishedMillis,
        concurrency,
        pausedReason,
        consecutiveFailures,
        lastStartedIndex,
        continuedAsNew,
        idleBaselines,
        quarantined,
        codes,
        cyclesPlanned,
        metricStats,
        planVersion,
        planHashes,
        amendments);
  }

  /** This state with the adaptive plan's compact form ({@link AdaptivePlan}). */
  CampaignState withCycles(List<Integer> planned, List<MetricStats> stats) {
    return new CampaignState(
        runs,
        attemptsUsed,
        recentFailures,
        finishedRuns,
        finishedMillis,
        concurrency,
        pausedReason,
        consecutiveFailures,
        lastStartedIndex,
        continuedAsNew,
        idleBaselines,
        quarantined,
        attempts,
        planned,
        stats,
        planVersion,
        planHashes,
        amendments);
  }

  /** This state with the amended plan's versions ({@link PlanVersions}). */
  CampaignState withPlan(int version, List<String> hashes, List<Amendment> amended) {
    return new CampaignState(
        runs,
        attemptsUsed,
        recentFailures,
        finishedRuns,
        finishedMillis,
        concurrency,
        pausedReason,
        consecutiveFailures,
        lastStartedIndex,
        continuedAsNew,
        idleBaselines,
        quarantined,
        attempts,
        cyclesPlanned,
        metricStats,
        version,
        List.copyOf(hashes),
        List.copyOf(amended));
  }
}
