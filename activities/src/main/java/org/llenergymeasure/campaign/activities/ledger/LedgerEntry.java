package org.llenergymeasure.campaign.activities.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.activities.measurement.AttemptMetrics;
import org.llenergymeasure.campaign.activities.measurement.HostMeasurement;
import org.llenergymeasure.campaign.activities.measurement.Validity;

/**
 * One finished run attempt, as a line of the campaign's {@code ledger.jsonl}: exactly the fields of
 * a RUN in the {@code llem-campaign results} command's output (cli-contract.md), so {@code
 * llem-campaign results} can print the ledger as it is when no server runs.
 *
 * @param status "completed" or "failed"
 * @param routing the GPUs and routing variables the attempt was given; null when routing failed
 * @param result the run's whole result object; null unless completed or failed with {@code
 *     InvalidMeasurement} (kept there for inspection, never counted)
 * @param error why it failed; null when completed
 * @param startedAt ISO-8601
 * @param finishedAt ISO-8601
 * @param hostMeasurement what the host worker itself measured of the run's GPUs while it ran
 *     (NVML); null when it measured nothing
 * @param hostMeasurementNote why there is no host measurement ("no host measurement: ..."); null
 *     when there is one
 * @param validity the verdict on the attempt's measurement; on every line of an attempt that ran to
 *     the end (completed, {@code InvalidMeasurement}); absent otherwise and on older lines
 * @param metrics the per-run metrics known of a completed or {@code InvalidMeasurement} attempt
 *     (unknown ones absent); absent otherwise and on older lines
 */
@JsonPropertyOrder({
  "runId",
  "experiment",
  "cycle",
  "attempt",
  "status",
  "host",
  "routing",
  "verifiedUuids",
  "resultDir",
  "result",
  "error",
  "startedAt",
  "finishedAt",
  "hostMeasurement",
  "hostMeasurementNote",
  "validity",
  "metrics"
})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record LedgerEntry(
    String runId,
    String experiment,
    int cycle,
    int attempt,
    String status,
    String host,
    Routing routing,
    List<String> verifiedUuids,
    String resultDir,
    JsonNode result,
    Failure error,
    String startedAt,
    String finishedAt,
    HostMeasurement hostMeasurement,
    String hostMeasurementNote,
    @JsonInclude(JsonInclude.Include.NON_NULL) Validity validity,
    @JsonInclude(JsonInclude.Include.NON_NULL) AttemptMetrics metrics) {

  public LedgerEntry {
    verifiedUuids = verifiedUuids == null ? List.of() : List.copyOf(verifiedUuids);
    // Jackson reads a JSON null into a NullNode; "no result" is null in Java too.
    result = result == null || result.isNull() ? null : result;
  }

  /** A line without a validity verdict or metrics (as written before they existed). */
  public LedgerEntry(
      String runId,
      String experiment,
      int cycle,
      int attempt,
      String status,
      String host,
      Routing routing,
      List<String> verifiedUuids,
      String resultDir,
      JsonNode result,
      Failure error,
      String startedAt,
      String finishedAt,
      HostMeasurement hostMeasurement,
      String hostMeasurementNote) {
    this(
        runId,
        experiment,
        cycle,
        attempt,
        status,
        host,
        routing,
        verifiedUuids,
        resultDir,
        result,
        error,
        startedAt,
        finishedAt,
        hostMeasurement,
        hostMeasurementNote,
        null,
        null);
  }

  /** The ledger's key: one line per run attempt. */
  public String key() {
    return runId + "#" + attempt;
  }

  @JsonPropertyOrder({"uuids", "env"})
  public record Routing(List<String> uuids, Map<String, String> env) {}

  /**
   * @param upstreamType for an {@code ExperimentError}: the exception type llenergymeasure wrote in
   *     its error file (what decides whether a new attempt follows); absent otherwise
   */
  @JsonPropertyOrder({"type", "message", "upstreamType"})
  public record Failure(
      String type, String message, @JsonInclude(JsonInclude.Include.NON_NULL) String upstreamType) {

    public Failure(String type, String message) {
      this(type, message, null);
    }
  }
}
