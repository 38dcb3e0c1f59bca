package org.llenergymeasure.campaign.activities.gpu.inventory;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Field helpers for {@code nvidia-smi --format=csv} output. */
final class CsvFields {

  private static final Pattern MIB = Pattern.compile("(\\d+)(?:\\s*MiB)?");

  private CsvFields() {}

  /** Comma-separated fields, trimmed: nvidia-smi pads with ", " but we accept any spacing. */
  static List<String> split(String line) {
    return Arrays.stream(line.split(",", -1)).map(String::trim).toList();
  }

  static boolean isNotAvailable(String field) {
    return field.equalsIgnoreCase("[N/A]") || field.equalsIgnoreCase("N/A");
  }

  /**
   * {@code 81559 MiB} or {@code 81559} (with {@code nounits}) → 81559; {@code [N/A]} → null.
   *
   * @throws IllegalArgumentException for anything else (another unit would silently misread)
   */
  static Long mebibytes(String field) {
    if (isNotAvailable(field)) {
      return null;
    }
    Matcher m = MIB.matcher(field);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "memory \"" + field + "\" is not a number of MiB (like 81559 MiB) or [N/A]");
    }
    return Long.parseLong(m.group(1));
  }
}
