package org.llenergymeasure.campaign.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the format writes them: {@code 90s}, {@code 15m}, {@code 2h}, {@code 1d}, their
 * concatenation ({@code 1h30m}), {@code 0}, or ISO-8601 ({@code PT15M}, {@code P1DT2H}). Whole
 * seconds only, so that the plan hash can use seconds and {@code 90s} equals {@code PT1M30S}.
 *
 * <p>And durations for people ({@link #human}), the one form every module shows an elapsed time or
 * an ETA in.
 */
public final class Durations {

  private static final Pattern SHORT = Pattern.compile("(?:[0-9]+[smhd])+");
  private static final Pattern PART = Pattern.compile("([0-9]+)([smhd])");
  private static final String FORMS = "write e.g. 90s, 15m, 2h, 1d or ISO-8601 like PT15M";

  private Durations() {}

  /** The duration, or throws {@link IllegalArgumentException} with a user-facing reason. */
  public static Duration parse(String text) {
    String s = text.strip();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.matches("-?[0-9]+(\\.[0-9]+)?")) {
      throw new IllegalArgumentException("`" + s + "` has no unit; " + FORMS);
    }
    if (SHORT.matcher(s).matches()) {
      long seconds = 0;
      Matcher m = PART.matcher(s);
      while (m.find()) {
        long unit =
            switch (m.group(2)) {
              case "s" -> 1;
              case "m" -> 60;
              case "h" -> 3600;
              default -> 86400;
            };
        try {
          seconds = Math.addExact(seconds, Math.multiplyExact(Long.parseLong(m.group(1)), unit));
        } catch (ArithmeticException | NumberFormatException e) {
          throw new IllegalArgumentException("`" + s + "` is too long; " + FORMS);
        }
      }
      return Duration.ofSeconds(seconds);
    }
    if (s.startsWith("P") || s.startsWith("p") || s.startsWith("-P")) {
      Duration d;
      try {
        d = Duration.parse(s);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "`"
                + s
                + "` is not an ISO-8601 duration (weeks, months and years are not allowed); "
                + FORMS);
      }
      if (d.isNegative()) {
        throw new IllegalArgumentException("`" + s + "` is negative; durations are 0 or more");
      }
      if (d.toNanosPart() != 0) {
        throw new IllegalArgumentException(
            "`" + s + "` has a fraction of a second; durations are whole seconds");
      }
      return d;
    }
    throw new IllegalArgumentException("`" + s + "` is not a duration; " + FORMS);
  }

  /**
   * {@code 42s}, {@code 3m 05s}, {@code 2h 10m}, {@code 3d 4h}: the two largest units, cut (not
   * rounded); a negative duration reads as {@code 0s}. No locale: the same text on every machine.
   */
  public static String human(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m " + twoDigits(s % 60) + "s";
    }
    if (s < 86400) {
      return s / 3600 + "h " + twoDigits(s % 3600 / 60) + "m";
    }
    return s / 86400 + "d " + s % 86400 / 3600 + "h";
  }

  /**
   * A duration the way a campaign file writes it, for messages that quote a limit back: {@code 2h},
   * {@code 15m}, {@code 90s}, or {@code 1.5s} below a whole second. The inverse of {@link #parse}
   * for whole units.
   */
  public static String asWritten(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
  }

  private static String twoDigits(long n) {
    return n < 10 ? "0" + n : Long.toString(n);
  }
}
