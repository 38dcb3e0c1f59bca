package org.llenergymeasure.campaign.workflows.host;

import org.llenergymeasure.campaign.config.Experiment;

/**
 * Record a finished attempt: save its log, read its result file when it ran to the end, append
 * exactly one ledger line.
 *
 * @param failure why the attempt failed before collect, or null when await returned normally
 * @param verifiedUuids null when verification did not pass
 */
public record CollectRequest(
    RunRef run,
    Experiment experiment,
    GpuRouting routing,
    String handle,
    java.util.List<String> verifiedUuids,
    RunFailure failure,
    long startedAtMillis,
    long finishedAtMillis) {}
