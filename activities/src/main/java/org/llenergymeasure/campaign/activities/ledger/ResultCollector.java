package org.llenergymeasure.campaign.activities.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.activities.AttemptFolder;
import org.llenergymeasure.campaign.activities.AttemptLogSaver;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.container.Secrets;
import org.llenergymeasure.campaign.activities.gpu.telemetry.GpuTelemetry;
import org.llenergymeasure.campaign.activities.measurement.AttemptMetrics;
import org.llenergymeasure.campaign.activities.measurement.HostReading;
import org.llenergymeasure.campaign.activities.measurement.Validity;
import org.llenergymeasure.campaign.activities.measurement.Verdict;
import org.llenergymeasure.campaign.activities.upstream.UpstreamErrors;
import org.llenergymeasure.campaign.activities.upstream.UpstreamResults;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.CollectRequest;
import org.llenergymeasure.campaign.workflows.host.CollectResult;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.RunFailure;

/**
 * Records a finished attempt: saves its log, reads its result file when it ran to the end, adds
 * what the host measured of it (and judges that measurement), and appends exactly one ledger line.
 * Retried after a crash, it finds its line and answers from it.
 *
 * <p>The result file is the experiment's {@code resultFile} ({@link ResultFile}); an experiment of
 * llenergymeasure has upstream's files instead ({@link UpstreamResults}: its result, or its error
 * file as an {@code ExperimentError}, whose retry decision travels with the failure and is taken
 * again from the line's {@code upstreamType} by a retried collect).
 *
 * <p>An attempt that ran to the end gets a validity verdict ({@code validity}) and its per-run
 * metrics ({@code metrics}). One whose verdict is not valid is recorded as failed with {@code
 * InvalidMeasurement}; its result stays in the line for inspection, but it is never counted as a
 * completed run. One whose result lacks the campaign's metric (an adaptive {@code until:}) fails
 * with {@code ResultInvalid} naming it.
 */
public final class ResultCollector {

  /** A result file larger than this is not a result summary but a mistake. */
  public static final long MAX_RESULT_BYTES = ResultFile.MAX_RESULT_BYTES;

  private static final int SUMMARY_FIELDS = 8;

  private final AttemptLogSaver logSaver;
  private final GpuTelemetry telemetry;

  /**
   * @param logSaver saves the run's log into its folder; null when there is nothing to save
   * @param telemetry the host's GPU readings: only its availability matters here (the readings
   *     themselves were recorded in the attempt folder during await)
   */
  public ResultCollector(AttemptLogSaver logSaver, GpuTelemetry telemetry) {
    this.logSaver = logSaver;
    this.telemetry = telemetry;
  }

  public CollectResult collect(CollectRequest request, HostSettings settings) {
    AttemptFolder folder = AttemptFolder.create(settings, request.run());
    RunLedger ledger = RunLedger.of(settings.resultsRoot(), request.run().campaign());
    var existing = ledger.find(request.run().runId(), request.run().attempt());
    if (existing.isPresent()) {
      return toResult(existing.get(), request.metric());
    }
    if (logSaver != null && request.handle() != null) {
      logSaver.saveLog(request.handle(), folder.dir());
    }
    RunFailure failure = request.failure();
    JsonNode result = null;
    String upstreamType = null;
    Path runFiles = folder.runFilesDir();
    ResultFile.Outcome outcome = null;
    if (request.experiment().llenergymeasure() != null) {
      outcome = UpstreamResults.collect(runFiles, failure);
    } else if (failure == null) {
      outcome =
          ResultFile.read(
              runFiles, request.experiment().resultFile(), request.experiment().resultsDir());
    }
    if (outcome != null) {
      result = outcome.result();
      failure = outcome.failure();
      upstreamType = outcome.upstreamType();
      if (outcome.bytes() != null && !runFiles.equals(folder.dir())) {
        keepCopy(folder, outcome.fileName(), outcome.bytes());
      }
    }
    // A message may quote the run's output (a result that is not JSON, its last log lines), and a
    // parser quotes whatever piece of it it stopped at.
    failure =
        masked(failure, Secrets.present(request.experiment().secrets(), settings.workerEnv()));
    GpuRouting routing = request.routing();
    HostReading host =
        HostReading.of(
            folder,
            routing == null ? List.of() : routing.uuids(),
            telemetry.unavailableReason(),
            result);
    Validity validity = null;
    if (failure == null) {
      Verdict verdict = host.verdict(result, request.experiment().measurement());
      validity = verdict.validity();
      var problem = verdict.failure();
      if (problem.isPresent()) {
        failure = new RunFailure(FailureTypes.INVALID_MEASUREMENT, problem.get());
      }
    }
    // The result of an invalid measurement is kept for inspection; the status says it does not
    // count.
    boolean keepResult = failure == null || FailureTypes.INVALID_MEASUREMENT.equals(failure.type());
    AttemptMetrics metrics = keepResult ? AttemptMetrics.of(host.measurement(), result) : null;
    if (failure == null && request.metric() != null) {
      AttemptMetrics.Value v = metrics.value(request.metric(), result);
      if (!v.known()) {
        failure =
            new RunFailure(
                FailureTypes.RESULT_INVALID,
                "the campaign's metric "
                    + request.metric()
                    + " cannot be computed for this run: "
                    + v.missing());
        keepResult = false;
        metrics = null;
      }
    }
    LedgerEntry entry =
        new LedgerEntry(
            request.run().runId(),
            request.run().experiment(),
            request.run().cycle(),
            request.run().attempt(),
            failure == null ? "completed" : "failed",
            routing != null && routing.hostId() != null ? routing.hostId() : settings.hostId(),
            routing == null ? null : new LedgerEntry.Routing(routing.uuids(), routing.env()),
            request.verifiedUuids(),
            folder.dir().toString(),
            keepResult ? result : null,
            failure == null
                ? null
                : new LedgerEntry.Failure(failure.type(), failure.message(), upstreamType),
            iso(request.startedAtMillis()),
            iso(request.finishedAtMillis()),
            host.measurement(),
            host.note(),
            validity,
            metrics);
    try {
      ledger.append(entry);
    } catch (UncheckedIOException e) {
      // A full disk or a read-only folder: say so, typed, instead of an opaque I/O error retried
      // for minutes. The run is not recorded as completed; `retry-failed` runs it again later.
      throw new RunFailureException(
          FailureTypes.RESULTS_UNWRITABLE,
          "cannot record run "
              + entry.runId()
              + " attempt "
              + entry.attempt()
              + " in the ledger "
              + ledger.file()
              + " ("
              + rootMessage(e)
              + "); free space on or fix the permissions of the"
              + " results folder, then run `llem-campaign retry-failed "
              + request.run().campaign()
              + "`",
          false,
          e);
    }
    // Another try may have won the race to append; the ledger's line is the truth.
    return toResult(ledger.find(entry.runId(), entry.attempt()).orElse(entry), request.metric());
  }

  private static RunFailure masked(RunFailure failure, Secrets secrets) {
    return failure == null || failure.message() == null
        ? failure
        : new RunFailure(
            failure.type(), secrets.redactFragments(failure.message()), failure.retryable());
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  /**
   * The worker's copy of the validated result at the attempt folder's old place ({@code
   * a<n>/<resultFile>}), for scripts that read it there; not when that name is one of the worker's
   * own records.
   */
  private static void keepCopy(AttemptFolder folder, String resultFile, byte[] bytes) {
    String top =
        resultFile.contains("/") ? resultFile.substring(0, resultFile.indexOf('/')) : resultFile;
    if (WORKER_NAMES.contains(top) || top.startsWith(".")) {
      return;
    }
    folder.write(resultFile, bytes);
  }

  /** Names in the attempt folder that are the worker's; a result copy never replaces them. */
  private static final java.util.Set<String> WORKER_NAMES =
      java.util.Set.of(
          AttemptFolder.RUN_DIR,
          ".llem",
          "log.txt",
          "probe.txt",
          "routing.json",
          "verified.json",
          "gpu-samples.jsonl",
          "gpu-idle.json",
          "gpus-at-route.json",
          "process.json",
          "owner",
          "go",
          "exit-code",
          "output.raw",
          "memory-used.csv");

  /**
   * The answer of a recorded attempt; an {@code ExperimentError}'s retry is decided again from the
   * upstream type in its line, as it was when the line was written. The value of {@code metric}
   * (null: none wanted) comes back only for a completed attempt whose measurement is valid.
   */
  private static CollectResult toResult(LedgerEntry entry, String metric) {
    LedgerEntry.Failure error = entry.error();
    RunFailure failure =
        error == null
            ? null
            : new RunFailure(
                error.type(),
                error.message(),
                FailureTypes.EXPERIMENT_ERROR.equals(error.type())
                    ? UpstreamErrors.retryable(error.upstreamType())
                    : null);
    return new CollectResult(
        entry.status(), failure, entry.resultDir(), summary(entry.result()), metric(entry, metric));
  }

  private static Double metric(LedgerEntry entry, String metric) {
    boolean counts =
        "completed".equals(entry.status())
            && (entry.validity() == null || entry.validity().valid());
    if (metric == null || !counts) {
      return null;
    }
    AttemptMetrics m =
        entry.metrics() != null
            ? entry.metrics()
            : AttemptMetrics.of(entry.hostMeasurement(), entry.result());
    return m.value(metric, entry.result()).value();
  }

  /** The first few top-level numeric fields (total_energy_j, avg_tokens_per_second, ...). */
  static Map<String, Object> summary(JsonNode result) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (result == null || !result.isObject()) {
      return out;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = result.fields();
    while (fields.hasNext() && out.size() < SUMMARY_FIELDS) {
      Map.Entry<String, JsonNode> f = fields.next();
      JsonNode v = f.getValue();
      if (v.isIntegralNumber() && v.canConvertToLong()) {
        out.put(f.getKey(), v.longValue());
      } else if (v.isNumber()) {
        out.put(f.getKey(), v.doubleValue());
      }
    }
    return out;
  }

  private static String iso(long millis) {
    return millis <= 0 ? null : Instant.ofEpochMilli(millis).toString();
  }
}
