package org.llenergymeasure.campaign.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as Docker reads them: a whole number and a unit {@code b}, {@code k}, {@code m}, {@code g}
 * or {@code t} (powers of 1024; {@code 16g}, {@code 512m}, also {@code 16gb}/{@code 16GiB}). A bare
 * number is refused: for {@code shmSize} Docker would read it as bytes, which is never what was
 * meant.
 */
final class Sizes {

  private static final Pattern SIZE =
      Pattern.compile("([0-9]+)\\s*([bkmgt])(?:i?b)?", Pattern.CASE_INSENSITIVE);

  private Sizes() {}

  static long parse(String text) {
    String s = text.strip();
    Matcher m = SIZE.matcher(s);
    if (!m.matches()) {
      if (s.matches("[0-9]+")) {
        throw new IllegalArgumentException(
            "`" + s + "` has no unit; write e.g. 512m or 16g (b, k, m, g, t; powers of 1024)");
      }
      throw new IllegalArgumentException(
          "`" + s + "` is not a size; write e.g. 512m or 16g (b, k, m, g, t; powers of 1024)");
    }
    int shift =
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "b" -> 0;
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          default -> 40;
        };
    try {
      long n = Long.parseLong(m.group(1));
      if (n == 0) {
        throw new IllegalArgumentException("`" + s + "` is zero; give a size above 0");
      }
      if (n > (Long.MAX_VALUE >> shift)) {
        throw new IllegalArgumentException("`" + s + "` is too large");
      }
      return n << shift;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("`" + s + "` is too large");
    }
  }
}
