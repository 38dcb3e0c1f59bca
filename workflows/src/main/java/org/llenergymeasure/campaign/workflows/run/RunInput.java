package org.llenergymeasure.campaign.workflows.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.HostsSpec;
import org.llenergymeasure.campaign.config.PlannedRun;

/**
 * Everything an ExperimentWorkflow needs: the run, its fully merged experiment (small), how GPUs
 * are attached, and the hosts it may be routed to (a pinned {@code host:} wins).
 *
 * @param totalRuns the campaign's planned run count, for readable summaries ("run 3/12")
 * @param firstAttempt the attempt number to start from: 1, or after {@code retryFailed} the one
 *     after the run's last, so a new attempt never reuses an old container name or ledger key
 * @param metric the metric an adaptive {@code cycles.until} judges runs by (its name as in the
 *     campaign file), whose value collect returns; null when cycles are a fixed count (and in
 *     histories written before it)
 * @param placement where the run is placed from the host registry ({@code hosts: any}, selectors,
 *     or host ids with a GPU model: {@code Campaign.placementFor}); null when it is routed on
 *     {@code candidateHosts} as before (and in histories written before it)
 * @param idleBaselineHosts for a run placed from the registry of a campaign that takes idle
 *     baselines: the hosts it has a baseline of, so that the run takes one of a host not among them
 *     (RunOutcome#joinedHostBaseline); null otherwise
 */
public record RunInput(
    String campaign,
    PlannedRun run,
    Experiment experiment,
    AttachMode attach,
    List<String> candidateHosts,
    int totalRuns,
    int firstAttempt,
    @JsonInclude(JsonInclude.Include.NON_NULL) String metric,
    @JsonInclude(JsonInclude.Include.NON_NULL) HostsSpec placement,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<String> idleBaselineHosts) {

  /** The input of a run that takes no idle baseline itself. */
  public RunInput(
      String campaign,
      PlannedRun run,
      Experiment experiment,
      AttachMode attach,
      List<String> candidateHosts,
      int totalRuns,
      int firstAttempt,
      String metric,
      HostsSpec placement) {
    this(
        campaign,
        run,
        experiment,
        attach,
        candidateHosts,
        totalRuns,
        firstAttempt,
        metric,
        placement,
        null);
  }

  /** The input of a run routed on its candidate hosts. */
  public RunInput(
      String campaign,
      PlannedRun run,
      Experiment experiment,
      AttachMode attach,
      List<String> candidateHosts,
      int totalRuns,
      int firstAttempt,
      String metric) {
    this(
        campaign,
        run,
        experiment,
        attach,
        candidateHosts,
        totalRuns,
        firstAttempt,
        metric,
        null,
        null);
  }

  /** The input of a run whose value no adaptive cycle needs. */
  public RunInput(
      String campaign,
      PlannedRun run,
      Experiment experiment,
      AttachMode attach,
      List<String> candidateHosts,
      int totalRuns,
      int firstAttempt) {
    this(
        campaign,
        run,
        experiment,
        attach,
        candidateHosts,
        totalRuns,
        firstAttempt,
        null,
        null,
        null);
  }

  public RunInput {
    candidateHosts = List.copyOf(candidateHosts);
    idleBaselineHosts = idleBaselineHosts == null ? null : List.copyOf(idleBaselineHosts);
  }
}
