package org.llenergymeasure.campaign.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WatchdogFailuresTest {

  @Test
  void theWallClockFailureSaysTheLimitWhatWasKilledAndTheLastLine() {
    RunFailureException e =
        WatchdogFailures.wallClock(
            "a.c1", Duration.ofHours(2), "container llem-x was killed", "step 41");
    assertEquals("WallClockTimeout", e.type());
    assertFalse(e.retryable());
    assertEquals(
        "run a.c1 ran longer than its timeout of 2h; container llem-x was killed. Last output:"
            + " \"step 41\". Raise the experiment's `timeout:` if it needs longer.",
        e.getMessage());
  }

  @Test
  void theSilenceFailureSaysHowLongItWasQuietAndTheLimit() {
    RunFailureException e =
        WatchdogFailures.silence(
            "a.c1",
            Duration.ofSeconds(95),
            Duration.ofSeconds(90),
            "its processes (process group 7) were killed",
            null);
    assertEquals("SilenceTimeout", e.type());
    assertFalse(e.retryable());
    assertEquals(
        "run a.c1 printed nothing for 95s (silenceTimeout 90s), so it was considered hung and"
            + " its processes (process group 7) were killed. Last output: (none). Raise"
            + " `silenceTimeout:` if the run is legitimately quiet for long.",
        e.getMessage());
  }

  @Test
  void aLongLastLineIsCutSoTheMessageStaysSmall() {
    String line = "x".repeat(5000);
    String message = WatchdogFailures.wallClock("r", Duration.ofMinutes(1), "k", line).getMessage();
    assertTrue(message.contains("\"" + "x".repeat(200) + "...\""), message);
    assertFalse(message.contains("x".repeat(201)), "cut at 200 characters");
  }
}
