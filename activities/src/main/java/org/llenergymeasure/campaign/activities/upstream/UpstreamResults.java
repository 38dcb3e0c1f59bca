package org.llenergymeasure.campaign.activities.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.llenergymeasure.campaign.activities.ledger.ResultFile;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.RunFailure;

/**
 * Reads what an llenergymeasure experiment left in its run folder (top level only, through {@link
 * org.llenergymeasure.campaign.activities.RunFolder}: no link is followed):
 *
 * <ul>
 *   <li>one {@code *_result.json} (not {@code baseline_result.json}): the result, validated like
 *       every result file ({@link ResultFile});
 *   <li>two or more: {@code ResultInvalid}, naming them;
 *   <li>none, and an {@code *_error.json}: {@code ExperimentError} with upstream's type and message
 *       ({@link UpstreamErrors}); its traceback stays in the file;
 *   <li>neither: {@code ResultMissing}, naming what was expected.
 * </ul>
 *
 * Upstream exits non-zero after writing its error file, so an {@code ExitNonZero} with an error
 * file present is that {@code ExperimentError} too; every other failure (a watchdog's kill, an OOM
 * kill) stays what it was.
 */
public final class UpstreamResults {

  /** Where the run sees its folder, for the messages. */
  private static final String SHOWN_DIR = "/run/llem";

  private UpstreamResults() {}

  /**
   * @param runDir the attempt's run folder
   * @param failure how the attempt failed before collect; null when it ran to the end (exit 0)
   */
  public static ResultFile.Outcome collect(Path runDir, RunFailure failure) {
    List<String> names =
        org.llenergymeasure.campaign.activities.RunFolder.names(runDir).stream()
            .filter(n -> UpstreamContract.isResult(n) || UpstreamContract.isError(n))
            .toList();
    List<String> results = names.stream().filter(UpstreamContract::isResult).toList();
    List<String> errors = names.stream().filter(UpstreamContract::isError).toList();
    if (failure != null) {
      if (FailureTypes.EXIT_NON_ZERO.equals(failure.type()) && !errors.isEmpty()) {
        ResultFile.Outcome error = readError(runDir, errors);
        if (error.upstreamType() != null) {
          return error;
        }
      }
      return new ResultFile.Outcome(null, null, null, failure, null);
    }
    if (results.size() == 1) {
      return ResultFile.read(runDir, results.get(0), SHOWN_DIR);
    }
    if (results.size() > 1) {
      return ResultFile.failed(
          FailureTypes.RESULT_INVALID,
          "the run wrote "
              + results.size()
              + " result files, "
              + String.join(", ", results)
              + ", in its run folder "
              + runDir
              + "; an llenergymeasure experiment writes exactly one <config_hash>_result.json");
    }
    if (!errors.isEmpty()) {
      return readError(runDir, errors);
    }
    return ResultFile.failed(
        FailureTypes.RESULT_MISSING,
        "the run exited 0 but wrote neither a <config_hash>"
            + UpstreamContract.RESULT_SUFFIX
            + " nor llenergymeasure's error file "
            + UpstreamContract.ERROR_FILE
            + " in its run folder "
            + SHOWN_DIR
            + " (host: "
            + runDir
            + "); "
            + UpstreamContract.BASELINE_RESULT
            + " is never taken as the result");
  }

  /**
   * The {@code ExperimentError} of upstream's error file, or {@code ResultInvalid} for a bad one.
   */
  private static ResultFile.Outcome readError(Path runDir, List<String> errors) {
    String name =
        errors.contains(UpstreamContract.ERROR_FILE) ? UpstreamContract.ERROR_FILE : errors.get(0);
    ResultFile.Outcome read = ResultFile.read(runDir, name, SHOWN_DIR);
    if (read.failure() != null) {
      return ResultFile.failed(
          FailureTypes.RESULT_INVALID, "llenergymeasure's error file: " + read.failure().message());
    }
    JsonNode error = read.result();
    String type = UpstreamErrors.typeName(text(error.get("type")));
    JsonNode message = error.get("message");
    RunFailure failure =
        UpstreamErrors.failure(type, text(message), runDir.resolve(name).toString());
    return new ResultFile.Outcome(null, null, null, failure, type);
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull()
        ? null
        : node.isTextual() ? node.asText() : node.toString();
  }
}
