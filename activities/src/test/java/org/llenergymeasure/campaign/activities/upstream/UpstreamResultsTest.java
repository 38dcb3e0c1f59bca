package org.llenergymeasure.campaign.activities.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.ledger.ResultFile;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.RunFailure;

/** The collect rules for upstream's files, on run folders laid out by hand. */
class UpstreamResultsTest {

  private static final String RESULT = "{\"schema_version\":\"3.0\",\"total_energy_j\":228.0}";
  private static final String CONFIG_ERROR =
      "{\"type\": \"ConfigError\", \"message\": \"Unknown engine 'x'\","
          + " \"traceback\": \"Traceback (most recent call last):\\n...\"}";
  private static final RunFailure EXIT_1 =
      new RunFailure(FailureTypes.EXIT_NON_ZERO, "the run exited with code 1");

  @TempDir Path tmp;
  Path out;

  @BeforeEach
  void setUp() throws Exception {
    out = Files.createDirectory(tmp.resolve("out"));
    Files.writeString(out.resolve("llem_config.json"), "{}");
    Files.writeString(out.resolve("timeseries.parquet"), "PAR1");
  }

  @Test
  void theOneResultFileIsTheResultAndBaselineResultIsNeverIt() throws Exception {
    Files.writeString(out.resolve("baseline_result.json"), "{\"power_w\": 60}");
    Files.writeString(out.resolve("9944baab4dabe390_result.json"), RESULT);

    ResultFile.Outcome outcome = UpstreamResults.collect(out, null);

    assertNull(outcome.failure());
    assertEquals("9944baab4dabe390_result.json", outcome.fileName());
    assertEquals(228.0, outcome.result().get("total_energy_j").asDouble());
    assertEquals(RESULT, new String(outcome.bytes(), java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void twoResultFilesAreResultInvalidNamingBothInOrder() throws Exception {
    Files.writeString(out.resolve("bbbb_result.json"), RESULT);
    Files.writeString(out.resolve("aaaa_result.json"), RESULT);

    ResultFile.Outcome outcome = UpstreamResults.collect(out, null);

    assertEquals(FailureTypes.RESULT_INVALID, outcome.failure().type());
    assertTrue(
        outcome.failure().message().contains("aaaa_result.json, bbbb_result.json"),
        outcome.failure().message());
    assertNull(outcome.result());
  }

  @Test
  void aResultThatIsALinkIsRefusedNotFollowed() throws Exception {
    Path host = Files.writeString(tmp.resolve("host.json"), "{\"secret\": 1}");
    Files.createSymbolicLink(out.resolve("abcd_result.json"), host);

    ResultFile.Outcome outcome = UpstreamResults.collect(out, null);

    assertEquals(FailureTypes.RESULT_INVALID, outcome.failure().type());
    assertTrue(outcome.failure().message().contains("symbolic link"), outcome.failure().message());
  }

  @Test
  void noResultButAnErrorFileIsExperimentErrorWithUpstreamsTypeAndMessage() throws Exception {
    Files.writeString(out.resolve("llem_error.json"), CONFIG_ERROR);

    ResultFile.Outcome outcome = UpstreamResults.collect(out, null);

    assertEquals(FailureTypes.EXPERIMENT_ERROR, outcome.failure().type());
    assertEquals("ConfigError", outcome.upstreamType());
    assertEquals(false, outcome.failure().retryable());
    assertTrue(
        outcome.failure().message().startsWith("upstream ConfigError: Unknown engine 'x' ("),
        outcome.failure().message());
    assertTrue(!outcome.failure().message().contains("Traceback"), "the traceback stays");
  }

  @Test
  void upstreamsNonZeroExitAfterItsErrorFileIsThatExperimentError() throws Exception {
    Files.writeString(
        out.resolve("llem_error.json"),
        "{\"type\": \"RuntimeError\", \"message\": \"CUDA out of memory\", \"traceback\": \"\"}");

    ResultFile.Outcome outcome = UpstreamResults.collect(out, EXIT_1);

    assertEquals(FailureTypes.EXPERIMENT_ERROR, outcome.failure().type());
    assertEquals("RuntimeError", outcome.upstreamType());
    assertEquals(true, outcome.failure().retryable());
  }

  @Test
  void watchdogAndMemoryKillsStayWhatTheyWereEvenWithAnErrorFile() throws Exception {
    Files.writeString(out.resolve("llem_error.json"), CONFIG_ERROR);
    for (String type :
        new String[] {
          FailureTypes.OOM_KILLED, FailureTypes.WALL_CLOCK_TIMEOUT, FailureTypes.SILENCE_TIMEOUT
        }) {
      RunFailure killed = new RunFailure(type, "killed");
      ResultFile.Outcome outcome = UpstreamResults.collect(out, killed);
      assertSame(killed, outcome.failure(), type);
      assertNull(outcome.upstreamType());
    }
  }

  @Test
  void aNonZeroExitWithoutAnErrorFileStaysExitNonZero() throws Exception {
    Files.writeString(out.resolve("abcd_result.json"), RESULT);

    ResultFile.Outcome outcome = UpstreamResults.collect(out, EXIT_1);

    assertSame(EXIT_1, outcome.failure());
    assertNull(outcome.result());
  }

  @Test
  void anErrorFileThatIsNotJsonIsResultInvalid() throws Exception {
    Files.writeString(out.resolve("llem_error.json"), "Traceback: not json");

    ResultFile.Outcome outcome = UpstreamResults.collect(out, null);

    assertEquals(FailureTypes.RESULT_INVALID, outcome.failure().type());
    assertTrue(outcome.failure().message().startsWith("llenergymeasure's error file: "));
    // After a non-zero exit such a file explains nothing: the exit stays the failure.
    assertSame(EXIT_1, UpstreamResults.collect(out, EXIT_1).failure());
  }

  @Test
  void neitherIsResultMissingNamingWhatWasExpected() throws Exception {
    Files.writeString(out.resolve("baseline_result.json"), "{\"power_w\": 60}");

    ResultFile.Outcome outcome = UpstreamResults.collect(out, null);

    assertEquals(FailureTypes.RESULT_MISSING, outcome.failure().type());
    String message = outcome.failure().message();
    assertTrue(message.contains("<config_hash>_result.json"), message);
    assertTrue(message.contains("llem_error.json"), message);
    assertTrue(message.contains(out.toString()), message);
  }
}
