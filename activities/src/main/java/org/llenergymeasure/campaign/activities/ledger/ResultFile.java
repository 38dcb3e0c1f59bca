package org.llenergymeasure.campaign.activities.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.llenergymeasure.campaign.activities.RunFolder;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.RunFailure;

/**
 * A run's result file, read from its run folder through directory handles ({@link RunFolder}) and
 * validated: a regular file (never a link), at most {@link #MAX_RESULT_BYTES}, a JSON object.
 */
public final class ResultFile {

  /** A result file larger than this is not a result summary but a mistake. */
  public static final long MAX_RESULT_BYTES = 16L << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  private ResultFile() {}

  /**
   * What the run's files gave: the result's JSON and the validated bytes (and the file's name in
   * the run folder), or why it does not count.
   *
   * @param upstreamType for an {@code ExperimentError}: the exception type llenergymeasure wrote in
   *     its error file; else null
   */
  public record Outcome(
      JsonNode result, byte[] bytes, String fileName, RunFailure failure, String upstreamType) {}

  /** An outcome without a result. */
  public static Outcome failed(String type, String message) {
    return new Outcome(null, null, null, new RunFailure(type, message), null);
  }

  /**
   * Reads the result file from the run's folder through directory handles ({@link RunFolder}): the
   * run may have made it, or a folder on its way, a link to a host file.
   */
  public static Outcome read(Path dir, String resultFile, String resultsDir) {
    Path file = dir.resolve(resultFile).normalize();
    String shown = resultsDir + "/" + resultFile + " (host: " + file + ")";
    if (!file.startsWith(dir)) {
      return failed(
          FailureTypes.RESULT_INVALID,
          "the result file " + resultFile + " points outside the run's results folder");
    }
    RunFolder.Read read = RunFolder.read(dir, dir.relativize(file).toString(), MAX_RESULT_BYTES);
    if (read instanceof RunFolder.Missing) {
      return failed(
          FailureTypes.RESULT_MISSING,
          "the run exited 0 but wrote no result file at "
              + shown
              + ". The run must write a JSON object there (the experiment's resultsDir/resultFile).");
    }
    if (read instanceof RunFolder.Refused refused) {
      return failed(
          FailureTypes.RESULT_INVALID,
          "the result file "
              + resultFile
              + " "
              + refused.why()
              + "; a run's result must be a regular file in its results folder ("
              + resultsDir
              + ")");
    }
    byte[] bytes = ((RunFolder.Bytes) read).bytes();
    if (bytes.length > MAX_RESULT_BYTES) {
      return failed(
          FailureTypes.RESULT_INVALID,
          "the result file "
              + shown
              + " is larger than "
              + (MAX_RESULT_BYTES >> 20)
              + " MiB; it must be a small JSON summary");
    }
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (IOException e) {
      String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      return failed(
          FailureTypes.RESULT_INVALID, "the result file " + shown + " is not valid JSON: " + why);
    }
    if (node == null || !node.isObject()) {
      return failed(
          FailureTypes.RESULT_INVALID,
          "the result file "
              + shown
              + " must hold a JSON object, found "
              + (node == null
                  ? "nothing"
                  : node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
    }
    return new Outcome(node, bytes, resultFile, null, null);
  }
}
