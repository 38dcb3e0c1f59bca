package org.llenergymeasure.campaign.workflows.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.TestExperiments;

class RunActivityOptionsTest {

  private static final Duration TIMEOUT = Duration.ofHours(2);

  private static Map<String, ActivityOptions> everyStep() {
    var experiment = TestExperiments.experiment("a", null, GpuRequest.none(), TIMEOUT);
    return Map.of(
        "routeWaiting", RunActivityOptions.routeWaiting("h1", "s"),
        "routeOnce", RunActivityOptions.routeOnce("h1", "s"),
        "launch", RunActivityOptions.launch("h1", "s"),
        "verify", RunActivityOptions.verify("h1", "s"),
        "await", RunActivityOptions.await("h1", "s", experiment),
        "collect", RunActivityOptions.collect("h1", "s"),
        "cleanup", RunActivityOptions.cleanup("h1", "s"));
  }

  @Test
  void everyStepRunsOnItsHostHeartbeatsAndNeverRetriesAPermanentFailure() {
    everyStep()
        .forEach(
            (step, o) -> {
              assertEquals("llem-host-h1", o.getTaskQueue(), step);
              assertEquals("s", o.getSummary(), step);
              assertEquals(Duration.ofSeconds(20), o.getHeartbeatTimeout(), step);
              assertEquals(
                  List.of(FailureTypes.neverRetryActivity()),
                  List.of(o.getRetryOptions().getDoNotRetry()),
                  step);
            });
  }

  @Test
  void routingWaitsOnOneHostButTriesEachOfSeveralOnce() {
    ActivityOptions waiting = RunActivityOptions.routeWaiting("h1", "s");
    assertFalse(
        List.of(waiting.getRetryOptions().getDoNotRetry()).contains(FailureTypes.GPU_BUSY),
        "GpuBusy under busy=wait is retried");
    assertEquals(100_000, waiting.getRetryOptions().getMaximumAttempts());
    ActivityOptions once = RunActivityOptions.routeOnce("h1", "s");
    assertEquals(1, once.getRetryOptions().getMaximumAttempts());
    assertEquals(Duration.ofSeconds(30), once.getScheduleToStartTimeout());
  }

  @Test
  void awaitOutlivesTheRunsOwnWatchdogAndWaitsForItsCancellation() {
    ActivityOptions await = everyStep().get("await");
    assertEquals(TIMEOUT.plusMinutes(10), await.getStartToCloseTimeout());
    assertEquals(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED, await.getCancellationType());
    assertTrue(await.getRetryOptions().getMaximumAttempts() > 1);
  }
}
