package org.llenergymeasure.campaign.activities;

import java.time.Duration;
import org.llenergymeasure.campaign.config.Durations;
import org.llenergymeasure.campaign.workflows.FailureTypes;

/**
 * The failures of a run's two watchdogs, worded the same for a container and a process: what limit
 * was passed, what was killed, the run's last output line (already masked) and what to change in
 * the campaign file.
 */
public final class WatchdogFailures {

  /** The longest stretch of the last output line a message quotes. */
  static final int LINE_LIMIT = 200;

  private WatchdogFailures() {}

  /**
   * The run outlived its {@code timeout:}.
   *
   * @param killed what was killed, as a clause: "container X was killed"
   */
  public static RunFailureException wallClock(
      String runId, Duration timeout, String killed, String lastLine) {
    return new RunFailureException(
        FailureTypes.WALL_CLOCK_TIMEOUT,
        "run "
            + runId
            + " ran longer than its timeout of "
            + Durations.asWritten(timeout)
            + "; "
            + killed
            + ". Last output: "
            + quote(lastLine)
            + ". Raise the experiment's `timeout:` if it needs longer.",
        false);
  }

  /**
   * The run printed nothing for longer than its {@code silenceTimeout:}.
   *
   * @param killed what was killed, as a clause: "container X was killed"
   */
  public static RunFailureException silence(
      String runId, Duration silent, Duration limit, String killed, String lastLine) {
    return new RunFailureException(
        FailureTypes.SILENCE_TIMEOUT,
        "run "
            + runId
            + " printed nothing for "
            + Durations.asWritten(silent)
            + " (silenceTimeout "
            + Durations.asWritten(limit)
            + "), so it was considered hung and "
            + killed
            + ". Last output: "
            + quote(lastLine)
            + ". Raise `silenceTimeout:` if the run is legitimately quiet for long.",
        false);
  }

  static String quote(String line) {
    return line == null
        ? "(none)"
        : "\"" + (line.length() > LINE_LIMIT ? line.substring(0, LINE_LIMIT) + "..." : line) + "\"";
  }
}
