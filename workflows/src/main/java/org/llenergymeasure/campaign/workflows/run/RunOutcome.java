package org.llenergymeasure.campaign.workflows.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.workflows.host.IdleBaselineResult;
import org.llenergymeasure.campaign.workflows.host.QuarantinedGpu;
import org.llenergymeasure.campaign.workflows.host.RunFailure;

/**
 * The compact outcome of a run (its last attempt): never the result file or logs, which stay in the
 * ledger and the run folder.
 *
 * @param status completed, failed or canceled (skipped while running, or the campaign was canceled;
 *     the campaign tells the two apart)
 * @param attempt the last attempt's number; 0 when canceled before the first attempt began
 * @param host the host that ran the last attempt; null if no host routed it
 * @param failure null when completed
 * @param quarantined GPUs that this run's cleanups (any attempt) left quarantined: a process still
 *     on them or their memory not back; empty when every cleanup found them clean
 * @param metric the value of the adaptive cycles' metric ({@link RunInput#metric()}) when the run
 *     completed with a valid measurement; null otherwise. The only figure of a result that reaches
 *     the campaign.
 * @param joinedHostBaseline the idle baseline of a host the campaign had none of, taken by this run
 *     after its routing there and before its launch (a host that joined the pool after the campaign
 *     started); null otherwise
 */
public record RunOutcome(
    String runId,
    Status status,
    int attempt,
    String host,
    RunFailure failure,
    List<String> routedUuids,
    List<String> verifiedUuids,
    Map<String, Object> resultSummary,
    long startedAtMillis,
    long finishedAtMillis,
    List<QuarantinedGpu> quarantined,
    @JsonInclude(JsonInclude.Include.NON_NULL) Double metric,
    @JsonInclude(JsonInclude.Include.NON_NULL) IdleBaselineResult joinedHostBaseline) {

  /** An outcome without a host baseline. */
  public RunOutcome(
      String runId,
      Status status,
      int attempt,
      String host,
      RunFailure failure,
      List<String> routedUuids,
      List<String> verifiedUuids,
      Map<String, Object> resultSummary,
      long startedAtMillis,
      long finishedAtMillis,
      List<QuarantinedGpu> quarantined,
      Double metric) {
    this(
        runId,
        status,
        attempt,
        host,
        failure,
        routedUuids,
        verifiedUuids,
        resultSummary,
        startedAtMillis,
        finishedAtMillis,
        quarantined,
        metric,
        null);
  }

  /** An outcome without a metric value. */
  public RunOutcome(
      String runId,
      Status status,
      int attempt,
      String host,
      RunFailure failure,
      List<String> routedUuids,
      List<String> verifiedUuids,
      Map<String, Object> resultSummary,
      long startedAtMillis,
      long finishedAtMillis,
      List<QuarantinedGpu> quarantined) {
    this(
        runId,
        status,
        attempt,
        host,
        failure,
        routedUuids,
        verifiedUuids,
        resultSummary,
        startedAtMillis,
        finishedAtMillis,
        quarantined,
        null);
  }

  /** How a run's last attempt ended; it travels (and is the run's LlemStatus) as its label. */
  public enum Status {
    COMPLETED("completed"),
    FAILED("failed"),
    CANCELED("canceled");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    @JsonValue
    public String label() {
      return label;
    }

    @JsonCreator
    public static Status of(String label) {
      for (Status s : values()) {
        if (s.label.equals(label)) {
          return s;
        }
      }
      throw new IllegalArgumentException("unknown run outcome '" + label + "'");
    }

    /** The label, so that text that shows an outcome reads as it always did. */
    @Override
    public String toString() {
      return label;
    }
  }

  public RunOutcome {
    routedUuids = routedUuids == null ? List.of() : List.copyOf(routedUuids);
    verifiedUuids = verifiedUuids == null ? List.of() : List.copyOf(verifiedUuids);
    resultSummary = resultSummary == null ? Map.of() : resultSummary;
    quarantined = quarantined == null ? List.of() : List.copyOf(quarantined);
  }

  public RunOutcome withQuarantined(List<QuarantinedGpu> gpus) {
    return new RunOutcome(
        runId,
        status,
        attempt,
        host,
        failure,
        routedUuids,
        verifiedUuids,
        resultSummary,
        startedAtMillis,
        finishedAtMillis,
        gpus,
        metric,
        joinedHostBaseline);
  }

  /** This outcome carrying the idle baseline its run took of a host new to the campaign. */
  public RunOutcome withJoinedHostBaseline(IdleBaselineResult baseline) {
    return new RunOutcome(
        runId,
        status,
        attempt,
        host,
        failure,
        routedUuids,
        verifiedUuids,
        resultSummary,
        startedAtMillis,
        finishedAtMillis,
        quarantined,
        metric,
        baseline);
  }

  public boolean completed() {
    return status == Status.COMPLETED;
  }

  public boolean canceled() {
    return status == Status.CANCELED;
  }
}
