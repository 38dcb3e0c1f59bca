package org.llenergymeasure.campaign.activities.process;

/**
 * The fields of {@code /proc/<pid>/stat} that process mode needs.
 *
 * @param pid the process id
 * @param state the one-letter state ({@code Z} = zombie: it has exited, only its parent has not
 *     collected its status yet)
 * @param processGroup the process group id
 * @param session the session id
 * @param startTicks the start time in clock ticks since boot: with the boot id, the identity of a
 *     process that survives pid reuse
 */
record ProcStat(long pid, char state, long processGroup, long session, long startTicks) {

  /**
   * Parses one stat line. The command name (field 2) is in parentheses and may itself hold spaces
   * and parentheses, so the fields are counted from the last {@code ')'}.
   *
   * @return null when the line is not a stat line
   */
  static ProcStat parse(String line) {
    int close = line.lastIndexOf(')');
    int space = line.indexOf(' ');
    if (close < 0 || space < 0 || close + 2 > line.length()) {
      return null;
    }
    String[] f = line.substring(close + 2).trim().split(" ", -1);
    // f[0] is field 3 (state), so field N is f[N - 3]: process group 5, sid 6, starttime 22.
    if (f.length < 20 || f[0].isEmpty()) {
      return null;
    }
    try {
      return new ProcStat(
          Long.parseLong(line.substring(0, space)),
          f[0].charAt(0),
          Long.parseLong(f[2]),
          Long.parseLong(f[3]),
          Long.parseLong(f[19]));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  boolean exited() {
    return state == 'Z' || state == 'X' || state == 'x';
  }
}
