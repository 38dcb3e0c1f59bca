package org.llenergymeasure.campaign.activities.gpu.telemetry;

/**
 * One reading of one GPU, taken by the host (never by the container). A field the GPU or driver
 * does not support is null: nothing is invented.
 *
 * @param uuid the GPU's full UUID ({@code GPU-...})
 * @param atMillis wall-clock time of the reading
 * @param energyMillijoules the driver's total energy counter since it loaded (NVML
 *     nvmlDeviceGetTotalEnergyConsumption, mJ); differences between two readings are the energy
 *     used in between
 * @param powerWatts board power draw now
 * @param temperatureC GPU core temperature
 * @param smClockMhz SM clock now
 * @param throttleReasons NVML clocks-event (throttle) reason bit mask, see {@link ThrottleReasons}
 * @param powerLimitWatts the enforced power limit (upper bound for a plausible mean power)
 */
public record GpuSample(
    String uuid,
    long atMillis,
    Long energyMillijoules,
    Double powerWatts,
    Integer temperatureC,
    Integer smClockMhz,
    Long throttleReasons,
    Double powerLimitWatts) {

  /** True when the reading says the GPU's clocks are held down by heat (software or hardware). */
  public boolean thermallyThrottled() {
    return throttleReasons != null && ThrottleReasons.isThermal(throttleReasons);
  }
}
