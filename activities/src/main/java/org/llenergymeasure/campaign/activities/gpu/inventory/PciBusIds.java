package org.llenergymeasure.campaign.activities.gpu.inventory;

import java.util.Comparator;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PCI bus ids ({@code domain:bus:device.function}, hex) and their numeric order. */
public final class PciBusIds {

  private static final Pattern BUS_ID =
      Pattern.compile("([0-9A-Fa-f]{4,8}):([0-9A-Fa-f]{2}):([0-9A-Fa-f]{2})\\.([0-9A-Fa-f])");

  /**
   * Orders by the numeric value of each part, so that {@code 0000:3B:00.0} and {@code
   * 00000000:3b:00.0} compare equal and domains of different widths still sort right.
   */
  public static final Comparator<String> ORDER = Comparator.comparingLong(PciBusIds::key);

  private PciBusIds() {}

  public static boolean isValid(String busId) {
    return busId != null && BUS_ID.matcher(busId).matches();
  }

  private static long key(String busId) {
    Matcher m = BUS_ID.matcher(busId.toUpperCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("not a PCI bus id: " + busId);
    }
    long domain = Long.parseLong(m.group(1), 16);
    long bus = Long.parseLong(m.group(2), 16);
    long device = Long.parseLong(m.group(3), 16);
    long function = Long.parseLong(m.group(4), 16);
    return (domain << 20) | (bus << 12) | (device << 4) | function;
  }
}
