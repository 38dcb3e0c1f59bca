package org.llenergymeasure.campaign.activities.gpu.cooldown;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the output of {@code nvidia-smi --query-gpu=uuid,temperature.gpu[,power.draw]
 * --format=csv,noheader,nounits}: one {@code <uuid>, <°C>[, <W>]} line per GPU; {@code [N/A]}
 * readings are left out (a GPU whose temperature is N/A is absent). A header line, if present, is
 * skipped.
 */
public final class TemperatureCsv {

  private TemperatureCsv() {}

  /** Temperatures only (a third column, if any, is ignored). */
  public static Map<String, Integer> parse(String csv, String source) {
    Map<String, Integer> out = new LinkedHashMap<>();
    parseReadings(csv, source).forEach((uuid, r) -> out.put(uuid, r.temperatureC()));
    return out;
  }

  /** Temperature and, when the line has a third column, power. */
  public static Map<String, GpuReading> parseReadings(String csv, String source) {
    Map<String, GpuReading> out = new LinkedHashMap<>();
    int lineNo = 0;
    for (String line : csv.split("\\R", -1)) {
      lineNo++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.toLowerCase(Locale.ROOT).startsWith("uuid")) {
        continue;
      }
      // A trailing comma is tolerated ("<uuid>, 45," reads as "<uuid>, 45"): split's dropping of
      // trailing empty strings is the reading wanted here.
      @SuppressWarnings("StringSplitter")
      String[] fields = trimmed.split(",");
      if (fields.length != 2 && fields.length != 3) {
        throw new IllegalStateException(
            source
                + ":"
                + lineNo
                + ": expected `<GPU uuid>, <temperature °C>[, <power W>]`, found `"
                + trimmed
                + "`");
      }
      String uuid = fields[0].strip();
      String value = fields[1].strip();
      if (notAvailable(value)) {
        continue;
      }
      int temperature;
      try {
        temperature = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalStateException(
            source
                + ":"
                + lineNo
                + ": temperature `"
                + value
                + "` of "
                + uuid
                + " is not a whole number of °C");
      }
      Double power = null;
      if (fields.length == 3 && !notAvailable(fields[2].strip())) {
        String w = fields[2].strip();
        try {
          power = Double.parseDouble(w);
        } catch (NumberFormatException e) {
          throw new IllegalStateException(
              source
                  + ":"
                  + lineNo
                  + ": power `"
                  + w
                  + "` of "
                  + uuid
                  + " is not a number of watts");
        }
      }
      out.put(uuid, new GpuReading(temperature, power));
    }
    return out;
  }

  private static boolean notAvailable(String value) {
    return value.equalsIgnoreCase("[N/A]") || value.equalsIgnoreCase("N/A");
  }
}
