package org.llenergymeasure.campaign.config;

import java.time.Duration;

/** Wait after a run until its GPUs are at or below this temperature, at most {@code timeout}. */
public record Cooldown(int maxGpuTemperatureC, Duration timeout) {}
