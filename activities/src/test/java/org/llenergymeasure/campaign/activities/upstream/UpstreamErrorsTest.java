package org.llenergymeasure.campaign.activities.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.RunFailure;

class UpstreamErrorsTest {

  @Test
  void upstreamsConfigurationAndValidationErrorsAreNotRetried() {
    for (String type :
        List.of(
            "ConfigError",
            "ValidationError",
            "PreFlightError",
            "DockerPreFlightError",
            "ImportError",
            "ModuleNotFoundError",
            "JSONDecodeError")) {
      assertFalse(UpstreamErrors.retryable(type), type);
    }
  }

  @Test
  void runtimeFailuresAreRetried() {
    for (String type :
        List.of(
            "RuntimeError",
            "EngineError",
            "ExperimentError",
            "OutOfMemoryError",
            "OSError",
            "unknown",
            "configerror")) {
      assertTrue(UpstreamErrors.retryable(type), type);
    }
    assertTrue(UpstreamErrors.retryable(null), "an error file without a type");
  }

  @Test
  void theFailureCarriesUpstreamsTypeAndMessageAndItsRetryDecision() {
    RunFailure config =
        UpstreamErrors.failure(
            "ConfigError", "  Unknown engine 'x'\n", "/r/a1/out/llem_error.json");
    assertEquals(FailureTypes.EXPERIMENT_ERROR, config.type());
    assertEquals(
        "upstream ConfigError: Unknown engine 'x' (traceback in /r/a1/out/llem_error.json)",
        config.message());
    assertEquals(false, config.retryable());

    RunFailure runtime = UpstreamErrors.failure("RuntimeError", "CUDA out of memory", "f");
    assertEquals(true, runtime.retryable());
    assertEquals(true, FailureTypes.attemptRetryable(runtime));
    assertEquals(false, FailureTypes.attemptRetryable(config));
  }

  @Test
  void aLongMessageIsCutAndATypeThatIsNoClassNameIsNotQuoted() {
    String message = UpstreamErrors.failure("RuntimeError", "x".repeat(50_000), "f").message();
    assertTrue(message.length() < UpstreamErrors.MAX_MESSAGE_CHARS + 200, "" + message.length());
    assertTrue(message.contains("[... cut; the whole message is in the file]"));

    assertEquals("unknown", UpstreamErrors.typeName("Config Error; rm -rf"));
    assertEquals("unknown", UpstreamErrors.typeName(null));
    assertEquals("unknown", UpstreamErrors.typeName("x".repeat(101)));
    assertEquals("pydantic.ValidationError", UpstreamErrors.typeName("pydantic.ValidationError"));
  }
}
