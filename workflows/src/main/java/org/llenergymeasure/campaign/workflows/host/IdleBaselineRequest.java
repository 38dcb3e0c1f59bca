package org.llenergymeasure.campaign.workflows.host;

import java.time.Duration;

/**
 * Measure every GPU of this host at rest before a campaign's first run.
 *
 * @param campaign for logs
 * @param samples readings per GPU (their median is the baseline)
 * @param interval time between readings
 */
public record IdleBaselineRequest(String campaign, int samples, Duration interval) {}
