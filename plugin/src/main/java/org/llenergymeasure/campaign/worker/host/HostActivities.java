package org.llenergymeasure.campaign.worker.host;

import org.llenergymeasure.campaign.workflows.host.GpuCareActivities;
import org.llenergymeasure.campaign.workflows.host.RunActivities;

/**
 * What a host's worker registers on its queue ({@link WorkerHost}): the steps of each run attempt
 * and the campaign's care of the host's GPUs between runs.
 */
public record HostActivities(RunActivities runs, GpuCareActivities care) {}
