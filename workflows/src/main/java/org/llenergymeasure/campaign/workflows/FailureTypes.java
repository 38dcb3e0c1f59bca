package org.llenergymeasure.campaign.workflows;

import java.util.Set;
import org.llenergymeasure.campaign.workflows.host.RunFailure;

/**
 * The stable failure type strings of cli-contract.md. They appear in results, status, the ledger
 * and the Web UI, and are the {@code type} of every {@code ApplicationFailure} our activities
 * throw. Never rename one.
 */
public final class FailureTypes {

  public static final String INVALID_GPU_SELECTION = "InvalidGpuSelection";
  public static final String MIG_SELECTION = "MigSelection";
  public static final String PARALLELISM_MISMATCH = "ParallelismMismatch";
  public static final String ROUTING_CONFLICT = "RoutingConflict";
  public static final String GPU_BUSY = "GpuBusy";
  public static final String GPU_RUNTIME_MISSING = "GpuRuntimeMissing";
  public static final String GPU_ROUTING_MISMATCH = "GpuRoutingMismatch";
  public static final String PROBE_FAILED = "ProbeFailed";
  public static final String IMAGE_NOT_FOUND = "ImageNotFound";
  public static final String SECRET_MISSING = "SecretMissing";
  public static final String ENGINE_UNAVAILABLE = "EngineUnavailable";
  public static final String EXIT_NON_ZERO = "ExitNonZero";
  public static final String OOM_KILLED = "OomKilled";
  public static final String WALL_CLOCK_TIMEOUT = "WallClockTimeout";
  public static final String SILENCE_TIMEOUT = "SilenceTimeout";
  public static final String RESULT_MISSING = "ResultMissing";
  public static final String RESULT_INVALID = "ResultInvalid";
  public static final String RESULTS_UNWRITABLE = "ResultsUnwritable";
  public static final String INVALID_MEASUREMENT = "InvalidMeasurement";
  public static final String CANCELED = "Canceled";

  /**
   * Added to the contract's list: the host's worker did not run a step in time, even after retries
   * (the host is down or its worker is not started).
   */
  public static final String WORKER_LOST = "WorkerLost";

  /** Added: the host's GPU inventory could not be read (nvidia-smi missing or failing). */
  public static final String INVENTORY_UNAVAILABLE = "InventoryUnavailable";

  /**
   * Added: the run could not be launched as asked: the engine refused to create or start its
   * container, its command cannot be started (a NUL byte, an argument list too long), it mounts the
   * worker's results or state folder, or a container that is not this run's holds its name. Not
   * retried: the campaign must be changed.
   */
  public static final String LAUNCH_FAILED = "LaunchFailed";

  /**
   * Added: an experiment of llenergymeasure ({@code llenergymeasure:}) failed and wrote its error
   * file ({@code {"type", "message", "traceback"}}); the message starts with {@code upstream
   * <type>:}. A new attempt is made unless upstream refused its configuration (the collecting
   * activity decides it: {@link RunFailure#retryable()}).
   */
  public static final String EXPERIMENT_ERROR = "ExperimentError";

  /**
   * Failures after which a new attempt (a new container) may succeed (campaign-format.md), unless
   * the failure says otherwise ({@link #attemptRetryable}).
   */
  public static final Set<String> ATTEMPT_RETRYABLE =
      Set.of(
          EXPERIMENT_ERROR,
          EXIT_NON_ZERO,
          OOM_KILLED,
          WALL_CLOCK_TIMEOUT,
          SILENCE_TIMEOUT,
          RESULT_MISSING,
          RESULT_INVALID,
          INVALID_MEASUREMENT);

  /**
   * Failures that no activity retry can fix: the activity options list them as do-not-retry so
   * Temporal fails the activity at once. GpuBusy is absent: under busy=wait it is a retryable wait
   * (the router marks it non-retryable itself under busy=fail).
   */
  private static final String[] NEVER_RETRY_ACTIVITY = {
    INVALID_GPU_SELECTION,
    MIG_SELECTION,
    PARALLELISM_MISMATCH,
    ROUTING_CONFLICT,
    GPU_RUNTIME_MISSING,
    GPU_ROUTING_MISMATCH,
    PROBE_FAILED,
    IMAGE_NOT_FOUND,
    SECRET_MISSING,
    EXIT_NON_ZERO,
    OOM_KILLED,
    WALL_CLOCK_TIMEOUT,
    SILENCE_TIMEOUT,
    RESULT_MISSING,
    RESULT_INVALID,
    RESULTS_UNWRITABLE,
    INVALID_MEASUREMENT,
    LAUNCH_FAILED,
    EXPERIMENT_ERROR
  };

  /**
   * Whether a new attempt follows this failed one (retries left aside): the failure's own decision
   * when its activity made one, else its type's ({@link #ATTEMPT_RETRYABLE}). A failure recorded
   * before {@link RunFailure#retryable()} existed reads it as null, so it is decided as it was.
   */
  public static boolean attemptRetryable(RunFailure failure) {
    return failure.retryable() != null
        ? failure.retryable()
        : ATTEMPT_RETRYABLE.contains(failure.type());
  }

  /** A copy of {@link #NEVER_RETRY_ACTIVITY}, for {@code RetryOptions.setDoNotRetry}. */
  public static String[] neverRetryActivity() {
    return NEVER_RETRY_ACTIVITY.clone();
  }

  private FailureTypes() {}
}
