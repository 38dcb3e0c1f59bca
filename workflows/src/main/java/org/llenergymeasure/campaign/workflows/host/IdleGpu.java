package org.llenergymeasure.campaign.workflows.host;

/**
 * One GPU at rest, as measured at campaign start: the medians of a few readings.
 *
 * @param temperatureC median core temperature
 * @param powerWatts median board power; null where the host cannot read power
 * @param samples how many readings the medians are of
 * @param processes compute processes on the GPU while it was measured (0 = truly idle; more means
 *     the baseline is someone else's load and says so in the note)
 */
public record IdleGpu(int temperatureC, Double powerWatts, int samples, int processes) {}
