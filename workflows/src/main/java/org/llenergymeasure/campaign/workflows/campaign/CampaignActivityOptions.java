package org.llenergymeasure.campaign.workflows.campaign;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;
import org.llenergymeasure.campaign.workflows.TaskQueues;

/** Options of the campaign's own activities (the cooldown), on the host of the run just ended. */
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
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(1))
                .setMaximumInterval(Duration.ofSeconds(30))
                .setMaximumAttempts(3)
                .build())
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
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(1))
                .setMaximumInterval(Duration.ofSeconds(10))
                .setMaximumAttempts(3)
                .build())
        .build();
  }
}
