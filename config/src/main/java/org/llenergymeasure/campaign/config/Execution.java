package org.llenergymeasure.campaign.config;

import java.time.Duration;

/**
 * The {@code execution} section with defaults applied (campaign-format.md "Defaults").
 *
 * @param cooldown null when not configured
 */
public record Execution(
    int cycles,
    RunOrder order,
    long seed,
    Duration gap,
    Duration cycleGap,
    Cooldown cooldown,
    int concurrency,
    boolean failFast,
    int maxConsecutiveFailures) {

  public static Execution defaults() {
    return new Execution(
        1, RunOrder.INTERLEAVE, 0, Duration.ZERO, Duration.ZERO, null, 1, false, 10);
  }
}
