package org.llenergymeasure.campaign.workflows.run;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.TaskQueues;

/**
 * Timeouts and retries of each host step, declared in one place. Every step retries infrastructure
 * hiccups (a worker crash, the engine briefly away) a bounded number of times and never retries a
 * permanent failure type.
 */
final class RunActivityOptions {

  /** Await heartbeats every poll (about a second); a crashed worker is noticed after this. */
  static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(20);

  private RunActivityOptions() {}

  private static RetryOptions infraRetries(int maximumAttempts) {
    return RetryOptions.newBuilder()
        .setInitialInterval(Duration.ofSeconds(1))
        .setBackoffCoefficient(2)
        .setMaximumInterval(Duration.ofSeconds(30))
        .setMaximumAttempts(maximumAttempts)
        .setDoNotRetry(FailureTypes.neverRetryActivity())
        .build();
  }

  /**
   * Every host step heartbeats (the worker beats for the short ones while they work), so a step
   * whose worker was killed is retried after this instead of after its start-to-close timeout.
   */
  private static ActivityOptions.Builder base(String host, String summary) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(host))
        .setSummary(summary)
        .setHeartbeatTimeout(HEARTBEAT_TIMEOUT);
  }

  /**
   * Routing on a single possible host: GpuBusy under busy=wait is retryable, so Temporal keeps
   * retrying (no history event per try) until the GPUs are free.
   */
  static ActivityOptions routeWaiting(String host, String summary) {
    return base(host, summary)
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(2))
                .setBackoffCoefficient(1.5)
                .setMaximumInterval(Duration.ofSeconds(30))
                .setMaximumAttempts(100_000)
                .setDoNotRetry(FailureTypes.neverRetryActivity())
                .build())
        .build();
  }

  /**
   * Routing on one of several candidate hosts: one try each (a busy or absent host must not hold
   * the run while another one is free), bounded wait for a worker to pick it up.
   */
  static ActivityOptions routeOnce(String host, String summary) {
    return base(host, summary)
        .setScheduleToStartTimeout(Duration.ofSeconds(30))
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setMaximumAttempts(1)
                .setDoNotRetry(FailureTypes.neverRetryActivity())
                .build())
        .build();
  }

  /**
   * Reading the host registry to place a run: a local activity of the worker that runs the workflow
   * (it polls {@code llem-campaigns}), recorded in the run's history as a marker; short, retried a
   * few times. A registry that cannot be read makes the run wait, never fail.
   */
  static LocalActivityOptions place() {
    return LocalActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(30))
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(1))
                .setMaximumAttempts(3)
                .build())
        .build();
  }

  /** The idle baseline of a host new to the campaign, as the campaign takes it at its start. */
  static ActivityOptions idleBaseline(String host) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(host))
        .setSummary("idle baseline of " + host)
        .setScheduleToStartTimeout(Duration.ofSeconds(30))
        .setStartToCloseTimeout(Duration.ofMinutes(1))
        .setHeartbeatTimeout(Duration.ofSeconds(30))
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(10))
                .setMaximumAttempts(3)
                .build())
        .build();
  }

  /** Create-or-attach; may pull an image. */
  static ActivityOptions launch(String host, String summary) {
    return base(host, summary)
        .setStartToCloseTimeout(Duration.ofMinutes(30))
        .setRetryOptions(infraRetries(10))
        .build();
  }

  static ActivityOptions verify(String host, String summary) {
    return base(host, summary)
        .setStartToCloseTimeout(Duration.ofMinutes(5))
        .setRetryOptions(infraRetries(10))
        .build();
  }

  /** Longer than the experiment's own wall-clock watchdog, which kills the run first. */
  static ActivityOptions await(String host, String summary, Experiment experiment) {
    return base(host, summary)
        .setStartToCloseTimeout(experiment.timeout().plus(Duration.ofMinutes(10)))
        .setHeartbeatTimeout(HEARTBEAT_TIMEOUT)
        // A skipped run's await learns of the cancel at its next heartbeat, stops and removes its
        // container; waiting for that keeps cleanup from racing a container that still runs.
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setRetryOptions(infraRetries(50))
        .build();
  }

  static ActivityOptions collect(String host, String summary) {
    return base(host, summary)
        .setStartToCloseTimeout(Duration.ofMinutes(5))
        .setRetryOptions(infraRetries(20))
        .build();
  }

  static ActivityOptions cleanup(String host, String summary) {
    return base(host, summary)
        .setStartToCloseTimeout(Duration.ofMinutes(5))
        .setRetryOptions(infraRetries(20))
        .build();
  }
}
