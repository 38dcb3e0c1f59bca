package org.llenergymeasure.campaign.config;

import java.util.List;

/**
 * When a run's measurement counts (campaign-format.md, {@code measurement:}). The host worker
 * samples the run's GPUs itself (NVML) while the run is in progress; an attempt whose host
 * measurement is implausible is recorded as {@code InvalidMeasurement} instead of completed.
 *
 * @param check false = record the host measurement but never fail an attempt because of it
 * @param energyTolerance how far (a fraction: 0.05 = 5%) the run's own {@code total_energy_j} may
 *     be from the host's counter before the attempt is invalid
 * @param compareEnergy {@code within}: the run measures part of its life (after loading the model),
 *     so only a run reporting more energy than the host saw is invalid; {@code equal}: the run
 *     measures its whole life, so a difference either way is; {@code off}: no comparison
 * @param allowThermalThrottle true = a run whose GPUs throttled for heat still counts
 */
public record Measurement(
    boolean check, double energyTolerance, String compareEnergy, boolean allowThermalThrottle) {

  public static final String WITHIN = "within";
  public static final String EQUAL = "equal";
  public static final String OFF = "off";
  public static final List<String> COMPARE_ENERGY = List.of(WITHIN, EQUAL, OFF);

  public static final Measurement DEFAULT = new Measurement(true, 0.05, WITHIN, false);

  public Measurement {
    compareEnergy = compareEnergy == null ? WITHIN : compareEnergy;
  }
}
