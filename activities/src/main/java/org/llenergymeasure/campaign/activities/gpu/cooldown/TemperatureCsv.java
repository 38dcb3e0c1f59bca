package org.llenergymeasure.campaign.activities.gpu.cooldown;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses the output of {@code nvidia-smi --query-gpu=uuid,temperature.gpu
 * --format=csv,noheader,nounits}: one {@code <uuid>, <°C>} line per GPU; {@code [N/A]} readings
 * are left out. A header line, if present, is skipped.
 */
public final class TemperatureCsv {

  private TemperatureCsv() {}

  public static Map<String, Integer> parse(String csv, String source) {
    Map<String, Integer> out = new LinkedHashMap<>();
    int lineNo = 0;
    for (String line : csv.split("\\R")) {
      lineNo++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.toLowerCase(java.util.Locale.ROOT).startsWith("uuid")) {
        continue;
      }
      String[] fields = trimmed.split(",");
      if (fields.length != 2) {
        throw new IllegalStateException(
            source + ":" + lineNo + ": expected `<GPU uuid>, <temperature °C>`, found `" + trimmed + "`");
      }
      String uuid = fields[0].strip();
      String value = fields[1].strip();
      if (value.equalsIgnoreCase("[N/A]") || value.equalsIgnoreCase("N/A")) {
        continue;
      }
      try {
        out.put(uuid, Integer.parseInt(value));
      } catch (NumberFormatException e) {
        throw new IllegalStateException(
            source + ":" + lineNo + ": temperature `" + value + "` of " + uuid + " is not a whole number of °C");
      }
    }
    return out;
  }
}
