package org.llenergymeasure.campaign.activities.gpu.cooldown;

/**
 * One GPU's temperature and power now; either is null where the sensor cannot read it.
 *
 * @param temperatureC core temperature
 * @param powerWatts board power draw
 */
public record GpuReading(Integer temperatureC, Double powerWatts) {}
