package org.llenergymeasure.campaign.worker.host;

import java.time.Duration;
import java.util.Map;

/**
 * TEST ONLY: with {@code LLEM_TEST_STEP_DELAY_MS} set, each step of a run ({@link HostSteps#RUN})
 * waits that long after doing its work and before reporting it, so the fault drills can kill -9 the
 * worker inside a chosen step (its effect made, its completion not yet recorded: the hardest moment
 * for idempotency). Unset, nothing waits.
 */
record TestStepDelay(Duration delay) {

  static final String VARIABLE = "LLEM_TEST_STEP_DELAY_MS";

  static TestStepDelay none() {
    return new TestStepDelay(Duration.ZERO);
  }

  /** The delay the environment asks for, or none. */
  static TestStepDelay fromEnvironment(Map<String, String> env) {
    String value = env.get(VARIABLE);
    if (value == null || value.isBlank()) {
      return none();
    }
    try {
      long ms = Long.parseLong(value.strip());
      return new TestStepDelay(Duration.ofMillis(Math.max(0, ms)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          VARIABLE + " must be a number of milliseconds, not `" + value + "`");
    }
  }

  /** Called after a step's work, before its result goes back. */
  void afterWork() {
    if (delay.isZero()) {
      return;
    }
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
