package org.llenergymeasure.campaign.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PollBackoffTest {

  private static List<Long> pauses(PollBackoff b, int n) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(b.nextPauseMillis());
    }
    return out;
  }

  @Test
  void startsShortAndDoublesUpToTheSteadyCadence() {
    PollBackoff b = new PollBackoff(Duration.ofMillis(25), Duration.ofSeconds(1));
    assertEquals(List.of(25L, 50L, 100L, 200L, 400L, 800L, 1000L, 1000L, 1000L), pauses(b, 9));
  }

  @Test
  void aShortRunIsNoticedWithinAFewTensOfMillisecondsOfItsEnd() {
    // A run that ends 30 ms after the first poll is seen at the second poll, 25 + 50 ms in,
    // not a full second later as with a fixed 1 s poll.
    PollBackoff b = PollBackoff.upTo(Duration.ofSeconds(1));
    long seenAt = 0;
    while (seenAt < 30) {
      seenAt += b.nextPauseMillis();
    }
    assertEquals(75, seenAt);
  }

  @Test
  void aMaxBelowTheDefaultStartIsUsedThroughout() {
    PollBackoff b = PollBackoff.upTo(Duration.ofMillis(10));
    assertEquals(List.of(10L, 10L, 10L), pauses(b, 3));
  }

  @Test
  void refusesAnInitialPauseAboveTheMaxOrNotPositive() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new PollBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new PollBackoff(Duration.ZERO, Duration.ofSeconds(1)));
  }
}
