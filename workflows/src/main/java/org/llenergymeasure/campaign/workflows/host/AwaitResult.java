package org.llenergymeasure.campaign.workflows.host;

/**
 * A run that exited 0. Other endings are thrown with their type (ExitNonZero, OomKilled,
 * WallClockTimeout, SilenceTimeout).
 */
public record AwaitResult(int exitCode, long durationMillis, String lastLogLine) {}
