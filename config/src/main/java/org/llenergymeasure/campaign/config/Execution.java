package org.llenergymeasure.campaign.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;

/**
 * The {@code execution} section with defaults applied (campaign-format.md "Defaults").
 *
 * @param cycles the fixed count of cycles; with {@code adaptive}, its {@code max} (the most an
 *     experiment gets)
 * @param cooldown null when not configured
 * @param adaptive null for a fixed count of cycles (and in executions written before it existed)
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
    int maxConsecutiveFailures,
    @JsonInclude(JsonInclude.Include.NON_NULL) AdaptiveCycles adaptive) {

  /** An execution with a fixed count of cycles. */
  public Execution(
      int cycles,
      RunOrder order,
      long seed,
      Duration gap,
      Duration cycleGap,
      Cooldown cooldown,
      int concurrency,
      boolean failFast,
      int maxConsecutiveFailures) {
    this(
        cycles,
        order,
        seed,
        gap,
        cycleGap,
        cooldown,
        concurrency,
        failFast,
        maxConsecutiveFailures,
        null);
  }

  /** The cycles every experiment runs: the fixed count, or the adaptive {@code min}. */
  public int firstCycles() {
    return adaptive == null ? cycles : adaptive.min();
  }

  public static Execution defaults() {
    return new Execution(
        1, RunOrder.INTERLEAVE, 0, Duration.ZERO, Duration.ZERO, null, 1, false, 10);
  }
}
