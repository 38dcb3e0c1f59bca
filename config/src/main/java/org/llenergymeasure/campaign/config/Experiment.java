package org.llenergymeasure.campaign.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One experiment, fully merged (defaults &lt; grid base &lt; variants &lt; explicit) and with every
 * default of campaign-format.md applied. Nullable fields say "not set" where the format has no
 * default: {@code command} (null = the image's default), {@code parallelism}, {@code shmSize},
 * {@code memory} (bytes), {@code probe}, {@code host}.
 *
 * <p>{@code remeasure} counts extra attempts after an {@code InvalidMeasurement}, used before
 * {@code retries}; {@code measurement} says when a measurement is invalid (never null).
 *
 * <p>{@code allowDangerousMounts}: the file allowed {@code mounts} of the host's system folders
 * ({@code /etc}, {@code /proc}, {@code /sys}, {@code /dev}; never the Docker socket). False in runs
 * recorded before it existed.
 *
 * <p>{@code llenergymeasure}: the experiment runs upstream llenergymeasure's own entry point with
 * this config (campaign-format.md, {@code llenergymeasure:}); null when not set, and in runs
 * recorded before it existed.
 *
 * <p>{@code logLimit}: the most bytes of the run's output kept in its saved log (its head and its
 * tail, with a line saying what was dropped between them); {@link #DEFAULT_LOG_LIMIT} in runs
 * recorded before it existed.
 *
 * <p>{@code user}: who the run executes as instead of root ({@link RunUser}: {@code NAME}, {@code
 * UID}, {@code NAME:GROUP} or {@code UID:GID}); null when not set (root in process mode, the
 * image's user in container modes), and in runs recorded before it existed.
 *
 * <p>{@code env} and {@code labels} are sorted maps so that equal experiments serialise equally.
 */
public record Experiment(
    String name,
    String image,
    List<String> command,
    GpuRequest gpus,
    Parallelism parallelism,
    Map<String, String> env,
    List<String> secrets,
    List<Mount> mounts,
    String resultsDir,
    String resultFile,
    Long shmSize,
    String ipc,
    Duration timeout,
    Duration silenceTimeout,
    int retries,
    Long memory,
    String network,
    BusyPolicy busy,
    List<String> probe,
    String host,
    Map<String, String> labels,
    int remeasure,
    Measurement measurement,
    boolean allowDangerousMounts,
    LlenergymeasureSpec llenergymeasure,
    Long logLimit,
    String user) {

  /** {@code logLimit} when the file does not set it: 1g. */
  public static final long DEFAULT_LOG_LIMIT = 1L << 30;

  /** The smallest {@code logLimit} a file may set: 1m. */
  public static final long MIN_LOG_LIMIT = 1L << 20;

  /** The same experiment under another name (an amended campaign's {@code name@vN}). */
  public Experiment withName(String newName) {
    return new Experiment(
        newName,
        image,
        command,
        gpus,
        parallelism,
        env,
        secrets,
        mounts,
        resultsDir,
        resultFile,
        shmSize,
        ipc,
        timeout,
        silenceTimeout,
        retries,
        memory,
        network,
        busy,
        probe,
        host,
        labels,
        remeasure,
        measurement,
        allowDangerousMounts,
        llenergymeasure,
        logLimit,
        user);
  }

  public Experiment {
    command = command == null ? null : List.copyOf(command);
    env =
        env == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(env));
    secrets = secrets == null ? List.of() : List.copyOf(secrets);
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
    probe = probe == null ? null : List.copyOf(probe);
    labels =
        labels == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(labels));
    // Not given: the default checks.
    measurement = measurement == null ? Measurement.DEFAULT : measurement;
    logLimit = logLimit == null ? DEFAULT_LOG_LIMIT : logLimit;
  }
}
