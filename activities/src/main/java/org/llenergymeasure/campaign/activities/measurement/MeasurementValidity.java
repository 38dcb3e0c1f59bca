package org.llenergymeasure.campaign.activities.measurement;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.llenergymeasure.campaign.config.Measurement;

/**
 * Whether a completed attempt's measurement is plausible (campaign-format.md, "Measurement
 * validity"): every rule that fires adds its reason code with what it saw, with the numbers, so a
 * user can tell a broken measurement from a too strict setting; each code's mode ({@link
 * Measurement#mode}) says whether it fails the attempt. Judged only where the host can read its
 * GPUs.
 */
public final class MeasurementValidity {

  /**
   * A run's mean power may be this much below the idle reading taken at routing: a GPU routed right
   * after another run may still idle warmer (higher) than it will a minute later.
   */
  public static final double IDLE_MARGIN = 0.25;

  /** A mean above the enforced power limit by more than this is a wrong reading, not a run. */
  public static final double LIMIT_MARGIN = 0.05;

  /** The result field holding the run's own energy figure (llenergymeasure's name). */
  public static final String CONTAINER_ENERGY = "total_energy_j";

  private MeasurementValidity() {}

  /**
   * The reasons the measurement is invalid, joined (without their codes); empty when it is valid.
   * Judges the measurement alone (no rounds of readings, so none of the rules that read them).
   *
   * @param measured the host's measurement, null when nothing was recorded
   * @param result the run's result object (its {@code total_energy_j} is compared), may be null
   */
  public static Optional<String> problems(
      HostMeasurement measured, JsonNode result, Measurement policy) {
    return judge(measured, null, result, policy).explanations();
  }

  /**
   * The verdict on an attempt the host could judge (it had GPUs and could read them).
   *
   * @param measured the host's measurement, null when nothing was recorded
   * @param checks what the rounds of readings say (gaps, GPU count, clock); null: not judged
   * @param result the run's result object, may be null
   */
  public static Verdict judge(
      HostMeasurement measured, SampleChecks checks, JsonNode result, Measurement policy) {
    Map<String, String> found = new LinkedHashMap<>();
    if (measured == null || measured.energyJ() == null) {
      found.put(
          Measurement.NO_ENERGY,
          "the host measured no energy for the run's GPUs"
              + (measured == null ? " (no GPU readings were recorded)" : missingGpus(measured))
              + ", although it can read them");
    } else {
      energyRules(measured, result, policy, found);
    }
    if (measured != null && measured.thermalThrottleS() > 0) {
      found.put(
          Measurement.THERMAL_THROTTLE,
          "the GPUs throttled for heat for "
              + num(measured.thermalThrottleS())
              + " s during the run ("
              + String.join(", ", measured.throttleReasons())
              + "): cool them (execution.cooldown) or set"
              + " measurement.allowThermalThrottle: true");
    }
    SampleRules.judge(measured, checks, result, policy, found);
    return Verdict.of(found, policy);
  }

  private static void energyRules(
      HostMeasurement measured, JsonNode result, Measurement policy, Map<String, String> found) {
    double energy = measured.energyJ();
    if (energy <= 0) {
      found.put(
          Measurement.NO_ENERGY,
          "host energy "
              + num(energy)
              + " J over "
              + num(measured.durationS())
              + " s: the GPUs' energy counter did"
              + " not advance");
    }
    Double mean = measured.meanPowerW();
    if (mean != null && energy > 0) {
      Double idle = measured.idlePowerW();
      if (idle != null && mean < idle * (1 - IDLE_MARGIN)) {
        found.put(
            Measurement.BELOW_IDLE,
            "mean power "
                + num(mean)
                + " W is below the GPUs' idle power "
                + num(idle)
                + " W (measured at routing,"
                + " "
                + pct(IDLE_MARGIN)
                + " below is allowed)");
      }
      Double limit = measured.powerLimitW();
      if (limit != null && mean > limit * (1 + LIMIT_MARGIN)) {
        found.put(
            Measurement.ABOVE_LIMIT,
            "mean power "
                + num(mean)
                + " W is above the GPUs' enforced power limit "
                + num(limit)
                + " W");
      }
    }
    Double container = containerEnergy(result);
    if (container != null && energy > 0 && !Measurement.OFF.equals(policy.compareEnergy())) {
      compareEnergy(measured, container, policy)
          .ifPresent(m -> found.put(Measurement.ENERGY_MISMATCH, m));
    }
  }

  /**
   * The run's own energy against the host's: over the run's own measurement window when the host
   * measured one (like for like), else over the whole await (which includes the run's start-up).
   */
  private static Optional<String> compareEnergy(
      HostMeasurement measured, double container, Measurement policy) {
    MeasuredWindow w = measured.window();
    boolean windowed = w != null && w.energyJ() != null;
    double host = windowed ? w.energyJ() : measured.energyJ();
    String over =
        windowed
            ? " over the run's measurement window ("
                + w.source()
                + ", "
                + num(w.durationS())
                + " s)"
            : w == null
                ? " over the whole await, start-up included (the result reports no measurement"
                    + " window)"
                : " over the whole await, start-up included (the run's window was not measured: "
                    + w.note()
                    + ")";
    if (host <= 0) {
      return Optional.of(
          "host energy " + num(host) + " J" + over + ": nothing to compare the run's energy with");
    }
    double diff = (container - host) / host;
    boolean within = Measurement.WITHIN.equals(policy.compareEnergy());
    boolean bad =
        within ? diff > policy.energyTolerance() : Math.abs(diff) > policy.energyTolerance();
    if (!bad) {
      return Optional.empty();
    }
    return Optional.of(
        "host energy "
            + num(host)
            + " J vs container "
            + num(container)
            + " J differ by "
            + pct(Math.abs(diff))
            + " > "
            + pct(policy.energyTolerance())
            + over
            + (within
                ? ": the run reports more energy than its GPUs used"
                : " (measurement.compareEnergy: equal)"));
  }

  /** The run's own {@code total_energy_j}, when it reported a number. */
  public static Double containerEnergy(JsonNode result) {
    JsonNode n = result == null ? null : result.get(CONTAINER_ENERGY);
    return n != null && n.isNumber() ? n.asDouble() : null;
  }

  private static String missingGpus(HostMeasurement m) {
    List<String> missing =
        m.gpus().stream()
            .filter(g -> g.energyJ() == null)
            .map(g -> g.uuid() + " (" + g.samples() + " readings)")
            .toList();
    return missing.isEmpty() ? "" : " (no energy for " + String.join(", ", missing) + ")";
  }

  static String num(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String pct(double fraction) {
    double p = fraction * 100;
    return (p == Math.rint(p) ? Long.toString((long) p) : String.format(Locale.ROOT, "%.1f", p))
        + "%";
  }
}
