package org.llenergymeasure.campaign.activities.upstream;

import java.util.Set;
import java.util.regex.Pattern;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.RunFailure;

/**
 * What an llenergymeasure error file means for the run: an {@code ExperimentError} whose message
 * carries upstream's exception type and message, and whether a new attempt may succeed.
 */
public final class UpstreamErrors {

  /**
   * Upstream's exception types that a new attempt of the same experiment meets again, so none is
   * made (names as upstream's error file writes them, {@code type(exc).__name__}):
   *
   * <ul>
   *   <li>{@code ConfigError}: upstream refused the configuration (its loader and engine checks);
   *   <li>{@code ValidationError}: pydantic refused the config ({@code
   *       ExperimentConfig.model_validate}, the entry point's first step);
   *   <li>{@code PreFlightError}, {@code DockerPreFlightError}: upstream's pre-flight checks (model
   *       access, CUDA, engine availability) refused the experiment before it measured;
   *   <li>{@code ImportError}, {@code ModuleNotFoundError}: the image or interpreter lacks a module
   *       the experiment needs; the next attempt runs the same image or interpreter;
   *   <li>{@code JSONDecodeError}: the entry point's first read is the config file, whose bytes the
   *       worker writes identically for every attempt, so a decode error there repeats; one from a
   *       file read later (a cache in a mounted folder) meets the same file again too.
   * </ul>
   *
   * Everything else (upstream's {@code EngineError} and {@code ExperimentError}, a {@code
   * RuntimeError} such as "CUDA out of memory", an {@code OSError} of a download) may pass on a new
   * attempt and is retried within the experiment's {@code retries}.
   */
  public static final Set<String> NOT_RETRIED =
      Set.of(
          "ConfigError",
          "ValidationError",
          "PreFlightError",
          "DockerPreFlightError",
          "ImportError",
          "ModuleNotFoundError",
          "JSONDecodeError");

  /** The most of upstream's message that the failure's message quotes. */
  static final int MAX_MESSAGE_CHARS = 2000;

  /** A type name as Python spells a class: anything else is not quoted. */
  private static final Pattern TYPE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]{0,99}");

  private UpstreamErrors() {}

  /** Whether a new attempt follows an {@code ExperimentError} of this upstream type. */
  public static boolean retryable(String upstreamType) {
    return upstreamType == null || !NOT_RETRIED.contains(upstreamType);
  }

  /** The type as it is recorded: upstream's when it is a class name, else {@code unknown}. */
  static String typeName(String raw) {
    return raw != null && TYPE_NAME.matcher(raw).matches() ? raw : "unknown";
  }

  /**
   * The run's failure for upstream's error file.
   *
   * @param type upstream's {@code type}, as recorded ({@link #typeName})
   * @param message upstream's {@code message} (may be null)
   * @param where the error file as the host sees it, named for its traceback
   */
  static RunFailure failure(String type, String message, String where) {
    String text = message == null ? "" : message.strip();
    if (text.length() > MAX_MESSAGE_CHARS) {
      text = text.substring(0, MAX_MESSAGE_CHARS) + " [... cut; the whole message is in the file]";
    }
    return new RunFailure(
        FailureTypes.EXPERIMENT_ERROR,
        "upstream " + type + ": " + text + " (traceback in " + where + ")",
        retryable(type));
  }
}
