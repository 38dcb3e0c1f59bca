package org.llenergymeasure.campaign.workflows.host;

/**
 * Heartbeat details of await: enough for a retried await on a new worker to re-attach and keep the
 * silence watchdog honest, and what a reader shows of a running run.
 *
 * @param lastLogLine the run's last non-empty output line, secrets masked
 * @param step the run's newest progress event as a short text ("model: Loading model (gpt2)"),
 *     secrets masked; null while it printed none. Added later: details heartbeated before it read
 *     as null.
 */
public record AwaitProgress(
    String handle,
    long startedAtMillis,
    long lastOutputAtMillis,
    long outputBytes,
    String lastLogLine,
    String step) {}
