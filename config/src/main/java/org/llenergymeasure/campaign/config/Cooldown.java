package org.llenergymeasure.campaign.config;

import java.time.Duration;

/**
 * Wait after a run until its GPUs are cool again, at most {@code timeout}. Two conditions, either
 * or both: an absolute limit ({@code maxGpuTemperatureC}) and, with {@code idleBaseline}, the idle
 * state measured at campaign start: each GPU's temperature within {@code idleDeltaC} of its idle
 * temperature and, while no compute process holds it, its power within {@code idlePowerMarginW} of
 * its idle power.
 *
 * @param maxGpuTemperatureC null when only the idle baseline is asked for
 * @param idleDeltaC null unless {@code idleBaseline}; then the default applies when not written
 * @param idlePowerMarginW null unless {@code idleBaseline}; then the default applies when not
 *     written
 */
public record Cooldown(
    Integer maxGpuTemperatureC,
    Duration timeout,
    boolean idleBaseline,
    Integer idleDeltaC,
    Integer idlePowerMarginW) {

  public static final int DEFAULT_IDLE_DELTA_C = 2;
  public static final int DEFAULT_IDLE_POWER_MARGIN_W = 15;
}
