package org.llenergymeasure.campaign.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * When a run's measurement counts (campaign-format.md, {@code measurement:}). The host worker
 * samples the run's GPUs itself (NVML) while the run is in progress; every attempt that reached
 * collect gets a validity verdict: each rule that fires adds its code, and a code in {@code fail}
 * mode records the attempt as {@code InvalidMeasurement} instead of completed.
 *
 * @param check false = record the host measurement but never fail an attempt because of it (every
 *     code's default mode becomes {@code warn})
 * @param energyTolerance how far (a fraction: 0.05 = 5%) the run's own {@code total_energy_j} may
 *     be from the host's counter before the attempt is invalid
 * @param compareEnergy {@code within}: the run measures part of its life (after loading the model),
 *     so only a run reporting more energy than the host saw is invalid; {@code equal}: the run
 *     measures its whole life, so a difference either way is; {@code off}: no comparison
 * @param allowThermalThrottle true = a run whose GPUs throttled for heat still counts ({@code
 *     THERMAL_THROTTLE} in {@code warn} mode)
 * @param rules a mode ({@code fail}, {@code warn}, {@code off}) per reason code, overriding its
 *     default; never null
 * @param minDuration a run measured over less than this is {@code TOO_SHORT}; null: no minimum
 */
public record Measurement(
    boolean check,
    double energyTolerance,
    String compareEnergy,
    boolean allowThermalThrottle,
    Map<String, String> rules,
    Duration minDuration) {

  public static final String WITHIN = "within";
  public static final String EQUAL = "equal";
  public static final String OFF = "off";
  public static final List<String> COMPARE_ENERGY = List.of(WITHIN, EQUAL, OFF);

  public static final String FAIL = "fail";
  public static final String WARN = "warn";
  public static final List<String> MODES = List.of(FAIL, WARN, OFF);

  public static final String NO_ENERGY = "NO_ENERGY";
  public static final String BELOW_IDLE = "BELOW_IDLE";
  public static final String ABOVE_LIMIT = "ABOVE_LIMIT";
  public static final String THERMAL_THROTTLE = "THERMAL_THROTTLE";
  public static final String ENERGY_MISMATCH = "ENERGY_MISMATCH";
  public static final String SAMPLE_GAP = "SAMPLE_GAP";
  public static final String TOO_SHORT = "TOO_SHORT";
  public static final String GPU_COUNT_MISMATCH = "GPU_COUNT_MISMATCH";
  public static final String CLOCK_STEP = "CLOCK_STEP";
  public static final String UPSTREAM_WARNING = "UPSTREAM_WARNING";

  /** Every reason code, in the order of the documented table (and of a verdict's reasons). */
  public static final List<String> CODES =
      List.of(
          NO_ENERGY,
          BELOW_IDLE,
          ABOVE_LIMIT,
          THERMAL_THROTTLE,
          ENERGY_MISMATCH,
          SAMPLE_GAP,
          TOO_SHORT,
          GPU_COUNT_MISMATCH,
          CLOCK_STEP,
          UPSTREAM_WARNING);

  /**
   * The codes that failed an attempt before codes existed, and {@code TOO_SHORT} (on only where a
   * {@code minDuration} asks for it); the others only warn by default.
   */
  private static final List<String> FAIL_BY_DEFAULT =
      List.of(NO_ENERGY, BELOW_IDLE, ABOVE_LIMIT, THERMAL_THROTTLE, ENERGY_MISMATCH, TOO_SHORT);

  public static final Measurement DEFAULT = new Measurement(true, 0.05, WITHIN, false);

  public Measurement {
    compareEnergy = compareEnergy == null ? WITHIN : compareEnergy;
    rules = rules == null ? Map.of() : Map.copyOf(new TreeMap<>(rules));
  }

  /** The settings without per-code modes or a minimum duration (as before codes existed). */
  public Measurement(
      boolean check, double energyTolerance, String compareEnergy, boolean allowThermalThrottle) {
    this(check, energyTolerance, compareEnergy, allowThermalThrottle, Map.of(), null);
  }

  /**
   * The mode of {@code code}: its {@code rules} entry, else its default. Defaults: the five codes
   * that existed before fail, the others warn, {@code TOO_SHORT} is off without a {@code
   * minDuration} and fails with one; {@code check: false} makes every default {@code warn}, {@code
   * allowThermalThrottle: true} makes {@code THERMAL_THROTTLE}'s {@code warn}, {@code
   * compareEnergy: off} makes {@code ENERGY_MISMATCH}'s {@code off}.
   */
  public String mode(String code) {
    String set = rules.get(code);
    if (set != null) {
      return set;
    }
    if (TOO_SHORT.equals(code) && minDuration == null) {
      return OFF;
    }
    if (ENERGY_MISMATCH.equals(code) && OFF.equals(compareEnergy)) {
      return OFF;
    }
    if (!check || THERMAL_THROTTLE.equals(code) && allowThermalThrottle) {
      return WARN;
    }
    return FAIL_BY_DEFAULT.contains(code) ? FAIL : WARN;
  }
}
