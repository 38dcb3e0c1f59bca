package org.llenergymeasure.campaign.config;

/**
 * The size limits of a campaign file, checked on the text before the YAML parser sees it
 * (campaign-format.md, "Size limits").
 *
 * <p>Why before: SnakeYAML copies its whole look-ahead window (4 bytes a character) for every 1,024
 * characters it reads while it scans one token, so a token of n characters costs about n²/1024
 * copies and 4n bytes: a 15 MB scalar took 58 s and 880 MB before it could be refused. The pre-scan
 * bounds every stretch that SnakeYAML scans in one go: a run of characters without a blank, a run
 * of blanks, and a whole line where the line may be a comment or a line of a block scalar ({@code
 * |}, {@code >}). At {@link #MAX_STRETCH_CHARS} such a stretch costs milliseconds. A value written
 * over many lines (or with blanks) passes the pre-scan and is parsed in linear time, then refused
 * at its path by {@link YamlTreeReader}.
 */
final class YamlLimits {

  /** Campaign files are small; a huge file is a mistake (a log, a dataset), not a campaign. */
  static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

  /**
   * The longest value (and key): 128 KiB, what Linux allows for one argument or one environment
   * string (MAX_ARG_STRLEN), so no command word or env value could be longer anyway.
   */
  static final int MAX_VALUE_CHARS = 128 * 1024;

  /**
   * What the pre-scan lets through: a little more than a value, for the quotes, brackets and comma
   * around it. A value between the two is refused after parsing, at its path.
   */
  static final int MAX_STRETCH_CHARS = MAX_VALUE_CHARS + 64;

  static final String RULE =
      "a campaign file has no value longer than "
          + MAX_VALUE_CHARS
          + " characters (128 KiB, the most Linux passes as one argument or environment value)";

  private YamlLimits() {}

  /** A problem found by the pre-scan: where the over-long stretch starts, and what it is. */
  record TooLong(Mark mark, String message) {}

  /** The first stretch of {@code text} longer than {@link #MAX_STRETCH_CHARS}, or null. */
  static TooLong scan(String text) {
    int n = text.length();
    int lineNo = 1;
    int start = 0;
    // Indentation of the last block scalar header while its (more indented) lines follow.
    int blockIndent = -1;
    while (start <= n) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = n;
      }
      int contentEnd = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
      int indent = 0;
      while (start + indent < contentEnd && text.charAt(start + indent) == ' ') {
        indent++;
      }
      boolean blank = start + indent == contentEnd;
      if (blockIndent >= 0 && !blank && indent <= blockIndent) {
        blockIndent = -1;
      }
      int length = contentEnd - start;
      if (length > MAX_STRETCH_CHARS) {
        TooLong t = longStretch(text, start, contentEnd, lineNo, blockIndent >= 0);
        if (t != null) {
          return t;
        }
      }
      if (blockIndent < 0 && !blank && endsWithBlockHeader(text, start, contentEnd)) {
        blockIndent = indent;
      }
      start = end + 1;
      lineNo++;
    }
    return null;
  }

  /**
   * Whether the line ends with a block scalar header ({@code key: |}, {@code - >-}, {@code |2+}),
   * perhaps followed by a comment.
   */
  private static boolean endsWithBlockHeader(String text, int start, int end) {
    int hash = hashOutsideWords(text, start, end);
    int e = hash >= 0 ? hash : end;
    while (e > start && isBlank(text.charAt(e - 1))) {
      e--;
    }
    int i = e;
    while (i > start && e - i < 3 && "-+0123456789".indexOf(text.charAt(i - 1)) >= 0) {
      i--;
    }
    if (i == start || "|>".indexOf(text.charAt(i - 1)) < 0) {
      return false;
    }
    int indicator = i - 1;
    return indicator == start || isBlank(text.charAt(indicator - 1));
  }

  /**
   * On a line longer than the limit: the line as a whole when it may be block scalar text or may
   * hold a comment (both are scanned to the end of the line at once), else its longest run of
   * non-blanks or of blanks.
   */
  private static TooLong longStretch(
      String text, int start, int end, int lineNo, boolean inBlockScalar) {
    int hash = hashOutsideWords(text, start, end);
    if (inBlockScalar || hash >= 0) {
      int at = inBlockScalar ? start : hash;
      if (end - at > MAX_STRETCH_CHARS) {
        return new TooLong(
            new Mark(lineNo, at - start + 1),
            (inBlockScalar ? "a line of block text" : "a comment")
                + " of "
                + (end - at)
                + " characters starts here; "
                + RULE);
      }
    }
    int i = start;
    while (i < end) {
      boolean blanks = isBlank(text.charAt(i));
      int j = i;
      while (j < end && isBlank(text.charAt(j)) == blanks) {
        j++;
      }
      if (j - i > MAX_STRETCH_CHARS) {
        String what =
            blanks
                ? "a run of " + (j - i) + " spaces"
                : "a value (or word) of "
                    + (j - i)
                    + " characters ("
                    + text.substring(i, i + 20)
                    + "…)";
        return new TooLong(new Mark(lineNo, i - start + 1), what + " starts here; " + RULE);
      }
      i = j;
    }
    return null;
  }

  /** The first '#' at the start of the line or after a blank (a possible comment), or -1. */
  private static int hashOutsideWords(String text, int start, int end) {
    for (int i = start; i < end; i++) {
      if (text.charAt(i) == '#' && (i == start || isBlank(text.charAt(i - 1)))) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }
}
