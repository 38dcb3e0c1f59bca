package org.llenergymeasure.campaign.activities.gpu.telemetry;

import java.util.ArrayList;
import java.util.List;

/** NVML's clocks-event reason bits (nvml.h, nvmlClocksEventReason*), named for reports. */
public final class ThrottleReasons {

  public static final long GPU_IDLE = 0x1L;
  public static final long APPLICATIONS_CLOCKS_SETTING = 0x2L;
  public static final long SW_POWER_CAP = 0x4L;
  public static final long HW_SLOWDOWN = 0x8L;
  public static final long SYNC_BOOST = 0x10L;
  public static final long SW_THERMAL_SLOWDOWN = 0x20L;
  public static final long HW_THERMAL_SLOWDOWN = 0x40L;
  public static final long HW_POWER_BRAKE_SLOWDOWN = 0x80L;
  public static final long DISPLAY_CLOCK_SETTING = 0x100L;

  /** The bits that mean "too hot": a measurement taken under them is not comparable. */
  public static final long THERMAL = SW_THERMAL_SLOWDOWN | HW_THERMAL_SLOWDOWN;

  private ThrottleReasons() {}

  public static boolean isThermal(long mask) {
    return (mask & THERMAL) != 0;
  }

  /** The names of the set bits, e.g. [SwPowerCap, SwThermalSlowdown]; unknown bits as hex. */
  public static List<String> names(long mask) {
    List<String> names = new ArrayList<>();
    long known = 0;
    known |= add(names, mask, GPU_IDLE, "GpuIdle");
    known |= add(names, mask, APPLICATIONS_CLOCKS_SETTING, "ApplicationsClocksSetting");
    known |= add(names, mask, SW_POWER_CAP, "SwPowerCap");
    known |= add(names, mask, HW_SLOWDOWN, "HwSlowdown");
    known |= add(names, mask, SYNC_BOOST, "SyncBoost");
    known |= add(names, mask, SW_THERMAL_SLOWDOWN, "SwThermalSlowdown");
    known |= add(names, mask, HW_THERMAL_SLOWDOWN, "HwThermalSlowdown");
    known |= add(names, mask, HW_POWER_BRAKE_SLOWDOWN, "HwPowerBrakeSlowdown");
    known |= add(names, mask, DISPLAY_CLOCK_SETTING, "DisplayClockSetting");
    long rest = mask & ~known;
    if (rest != 0) {
      names.add("0x" + Long.toHexString(rest));
    }
    return names;
  }

  private static long add(List<String> names, long mask, long bit, String name) {
    if ((mask & bit) != 0) {
      names.add(name);
    }
    return bit;
  }
}
