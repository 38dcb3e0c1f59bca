package org.llenergymeasure.campaign.workflows.campaign;

import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;
import org.llenergymeasure.campaign.workflows.TaskQueues;

/**
 * Options of the campaign's own activities: the plan hash (local), the idle baseline and the
 * cooldown (on the host of the run just ended).
 */
final class CampaignActivityOptions {

  private CampaignActivityOptions() {}

  /**
   * Bounded as a whole (schedule-to-close) so a host whose worker is gone cannot hold the campaign
   * longer than the cooldown's own timeout plus a margin.
   */
  static ActivityOptions cooldown(String host, String summary, Duration timeout) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(host))
        .setSummary(summary)
        .setStartToCloseTimeout(timeout.plus(Duration.ofMinutes(1)))
        .setScheduleToCloseTimeout(timeout.plus(Duration.ofMinutes(5)))
        .setHeartbeatTimeout(Duration.ofSeconds(30))
        .setRetryOptions(threeTries(Duration.ofSeconds(30)))
        .build();
  }

  /**
   * A few seconds of readings on one host. A host whose worker does not pick it up within
   * schedule-to-start is skipped (the campaign starts without its baseline) instead of holding the
   * campaign's start.
   */
  static ActivityOptions idleBaseline(String host) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(host))
        .setSummary("idle baseline of " + host)
        .setScheduleToStartTimeout(Duration.ofSeconds(30))
        .setStartToCloseTimeout(Duration.ofMinutes(1))
        .setHeartbeatTimeout(Duration.ofSeconds(30))
        .setRetryOptions(threeTries(Duration.ofSeconds(10)))
        .build();
  }

  /**
   * The plan hash, in the worker that runs the workflow task: about a second at 100,000 runs, tens
   * of seconds when every run's experiment holds values of 128 KiB (it hashes each run's
   * experiment). It is pure, so a failure (say, out of memory) is worth a retry or two; after that
   * the workflow task fails and is retried, as a hash mismatch is.
   */
  static LocalActivityOptions planHash() {
    return LocalActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(10))
        .setRetryOptions(threeTries(Duration.ofSeconds(10)))
        .build();
  }

  /** Three tries, the first retry after a second, backing off to at most {@code maxInterval}. */
  private static RetryOptions threeTries(Duration maxInterval) {
    return RetryOptions.newBuilder()
        .setInitialInterval(Duration.ofSeconds(1))
        .setMaximumInterval(maxInterval)
        .setMaximumAttempts(3)
        .build();
  }
}
