package org.llenergymeasure.campaign.activities.gpu.inventory;

import java.util.ArrayList;
import java.util.List;

/** A non-blank line of command output and its 1-based line number, for error messages. */
public record NumberedLine(int number, String text) {

  /** The non-blank lines of {@code output}; null or empty output has none. */
  public static List<NumberedLine> of(String output) {
    List<NumberedLine> lines = new ArrayList<>();
    if (output == null) {
      return lines;
    }
    String[] raw = output.split("\\R", -1);
    for (int i = 0; i < raw.length; i++) {
      if (!raw[i].isBlank()) {
        lines.add(new NumberedLine(i + 1, raw[i]));
      }
    }
    return lines;
  }
}
