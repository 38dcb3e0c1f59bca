package org.llenergymeasure.campaign.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.workflows.host.RunFailure;

/** The retry decision a run's failure carries, and how it travels. */
class AttemptRetryableTest {

  private final ObjectMapper json = LlemDataConverter.objectMapper();

  @Test
  void withoutADecisionTheTypeDecidesAsBefore() {
    for (String type : FailureTypes.ATTEMPT_RETRYABLE) {
      assertTrue(FailureTypes.attemptRetryable(new RunFailure(type, "m")), type);
    }
    for (String type :
        List.of(
            FailureTypes.GPU_ROUTING_MISMATCH,
            FailureTypes.LAUNCH_FAILED,
            FailureTypes.IMAGE_NOT_FOUND,
            FailureTypes.CANCELED)) {
      assertFalse(FailureTypes.attemptRetryable(new RunFailure(type, "m")), type);
    }
    assertTrue(FailureTypes.ATTEMPT_RETRYABLE.contains(FailureTypes.EXPERIMENT_ERROR));
  }

  @Test
  void theActivitysDecisionWinsOverTheType() {
    assertFalse(
        FailureTypes.attemptRetryable(
            new RunFailure(FailureTypes.EXPERIMENT_ERROR, "upstream ConfigError: x", false)));
    assertTrue(
        FailureTypes.attemptRetryable(
            new RunFailure(FailureTypes.EXPERIMENT_ERROR, "upstream RuntimeError: x", true)));
    assertTrue(
        FailureTypes.attemptRetryable(new RunFailure(FailureTypes.LAUNCH_FAILED, "m", true)));
  }

  @Test
  void aFailureWithoutADecisionTravelsExactlyAsBeforeAndAnOldOneReadsAsUndecided()
      throws Exception {
    assertEquals(
        "{\"type\":\"ExitNonZero\",\"message\":\"exit 3\"}",
        json.writeValueAsString(new RunFailure(FailureTypes.EXIT_NON_ZERO, "exit 3")));
    assertEquals(
        "{\"type\":\"ExperimentError\",\"message\":\"m\",\"retryable\":false}",
        json.writeValueAsString(new RunFailure(FailureTypes.EXPERIMENT_ERROR, "m", false)));

    RunFailure old =
        json.readValue("{\"type\":\"ExitNonZero\",\"message\":\"exit 3\"}", RunFailure.class);
    assertNull(old.retryable());
    assertEquals(new RunFailure(FailureTypes.EXIT_NON_ZERO, "exit 3"), old);
    assertEquals(
        Boolean.FALSE,
        json.readValue(
                "{\"type\":\"ExperimentError\",\"message\":\"m\",\"retryable\":false}",
                RunFailure.class)
            .retryable());
  }

  @Test
  void experimentErrorIsNeverRetriedAsAnActivity() {
    assertTrue(List.of(FailureTypes.neverRetryActivity()).contains(FailureTypes.EXPERIMENT_ERROR));
  }
}
