package org.llenergymeasure.campaign.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Durations for people, as {@code status}, the live view and the Web UI show them. */
class DurationsTest {

  private static String human(long seconds) {
    return Durations.human(Duration.ofSeconds(seconds));
  }

  @Test
  void theTwoLargestUnitsAreShownCutNotRounded() {
    assertEquals("0s", human(0));
    assertEquals("42s", human(42));
    assertEquals("1m 00s", human(60));
    assertEquals("3m 05s", human(185));
    assertEquals("59m 59s", human(3599));
    assertEquals("1h 00m", human(3600));
    assertEquals("2h 10m", human(2 * 3600 + 10 * 60 + 59));
    assertEquals("23h 59m", human(86_399));
    assertEquals("1d 0h", human(86_400));
    assertEquals("3d 4h", human(3 * 86_400 + 4 * 3600 + 3599));
  }

  @Test
  void aNegativeDurationReadsAsNothingAndAFractionIsCut() {
    assertEquals("0s", human(-5));
    assertEquals("1s", Durations.human(Duration.ofMillis(1999)));
  }

  @Test
  void theTextDoesNotDependOnTheLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("ar-EG-u-nu-arab"));
      assertEquals("3m 05s", human(185));
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void aLimitIsQuotedBackAsACampaignFileWritesIt() {
    assertEquals("2h", Durations.asWritten(Duration.ofHours(2)));
    assertEquals("90m", Durations.asWritten(Duration.ofMinutes(90)));
    assertEquals("90s", Durations.asWritten(Duration.ofSeconds(90)));
    assertEquals("0s", Durations.asWritten(Duration.ZERO));
    assertEquals("1.5s", Durations.asWritten(Duration.ofMillis(1500)));
    for (String written : new String[] {"2h", "90m", "90s", "1d"}) {
      Duration d = Durations.parse(written);
      assertEquals(d, Durations.parse(Durations.asWritten(d)), written);
    }
  }
}
