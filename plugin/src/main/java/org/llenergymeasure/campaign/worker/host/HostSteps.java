package org.llenergymeasure.campaign.worker.host;

import java.util.Set;

/**
 * The activity types of this project's host activities ({@code RunActivities} and {@code
 * GpuCareActivities}), grouped by what {@link HostStepInterceptor} adds to them. A new host
 * activity goes into one of these sets (HostStepsTest fails until it does).
 */
final class HostSteps {

  /**
   * The short steps of a run attempt: heartbeated from a side thread while they work, so that the
   * server notices a worker killed in one after the step's heartbeat timeout (seconds) instead of
   * its start-to-close timeout (up to 30 minutes for a launch that may pull an image).
   */
  static final Set<String> SHORT = Set.of("Route", "Launch", "Verify", "Collect", "Cleanup");

  /**
   * Every step of a run attempt: the short ones and await, which heartbeats on its own with its
   * re-attach progress. Each gets the test-only step delay and a failure line in the transition
   * log.
   */
  static final Set<String> RUN = Set.of("Route", "Launch", "Verify", "Await", "Collect", "Cleanup");

  /**
   * The campaign's GPU care between runs: they heartbeat on their own, after every reading, and
   * only their results are logged.
   */
  static final Set<String> CARE = Set.of("Cooldown", "IdleBaseline");

  private HostSteps() {}

  /** Whether the activity type is one of this project's host activities. */
  static boolean isHostStep(String activityType) {
    return RUN.contains(activityType) || CARE.contains(activityType);
  }
}
