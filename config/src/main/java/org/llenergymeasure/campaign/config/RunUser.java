package org.llenergymeasure.campaign.config;

import java.util.regex.Pattern;

/**
 * The value of an experiment's {@code user:} key: who the run executes as, instead of root. {@code
 * NAME}, {@code UID}, {@code NAME:GROUP} or {@code UID:GID}; names are POSIX portable names
 * (letters, digits, {@code .}, {@code _}, {@code -}, not starting with {@code -}, at most 32
 * characters), numbers are decimal ids below 2^31. Root ({@code root}, {@code 0}) is refused: that
 * is what runs without the key.
 *
 * @param user the user's name or decimal id
 * @param group the group's name or decimal id; null when not given
 */
public record RunUser(String user, String group) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._-]{0,31}");
  private static final Pattern NUMBER = Pattern.compile("[0-9]{1,10}");

  /** Splits a value that {@link #problem} accepted. */
  public static RunUser parse(String text) {
    int colon = text.indexOf(':');
    return colon < 0
        ? new RunUser(text, null)
        : new RunUser(text.substring(0, colon), text.substring(colon + 1));
  }

  /** Whether {@code part} is a decimal id rather than a name. */
  public static boolean isNumber(String part) {
    return part != null && NUMBER.matcher(part).matches();
  }

  /** The id of a numeric part. */
  public static long number(String part) {
    return Long.parseLong(part);
  }

  /** What is wrong with {@code text} as a {@code user:} value, or null when it is fine. */
  static String problem(String text) {
    String[] parts = text.split(":", -1);
    if (parts.length > 2) {
      return "`" + text + "` has more than one `:`; write NAME, UID, NAME:GROUP or UID:GID";
    }
    for (int i = 0; i < parts.length; i++) {
      String what = i == 0 ? "user" : "group";
      String part = parts[i];
      if (part.isEmpty()) {
        return "`" + text + "` has an empty " + what + "; write NAME, UID, NAME:GROUP or UID:GID";
      }
      if (isNumber(part)) {
        if (number(part) > Integer.MAX_VALUE - 1) {
          return "`" + text + "`: " + what + " id " + part + " is too large (at most 2147483646)";
        }
      } else if (!NAME.matcher(part).matches()) {
        return "`"
            + text
            + "`: `"
            + part
            + "` is not a valid "
            + what
            + " name (letters, digits, `.`, `_` and `-`, not starting with `-`, at most 32"
            + " characters) nor a number";
      }
    }
    String u = parts[0];
    if (u.equals("root") || (isNumber(u) && number(u) == 0)) {
      return "user: "
          + u
          + " is root, which is what runs without `user:`; remove it or name another user";
    }
    return null;
  }
}
