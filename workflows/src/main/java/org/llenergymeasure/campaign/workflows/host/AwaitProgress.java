package org.llenergymeasure.campaign.workflows.host;

/**
 * Heartbeat details of await: enough for a retried await on a new worker to re-attach and keep the
 * silence watchdog honest.
 */
public record AwaitProgress(
    String handle,
    long startedAtMillis,
    long lastOutputAtMillis,
    long outputBytes,
    String lastLogLine) {}
