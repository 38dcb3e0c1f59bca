package org.llenergymeasure.campaign.workflows.placement;

import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.config.HostsSpec;

/**
 * One run to place on the registered hosts.
 *
 * @param runId the run, named in the answer's sentences
 * @param hosts the campaign's {@code hosts:} (or its host ids, for a run that asks for a model)
 * @param gpus the run's {@code gpus:}
 */
public record PlacementRequest(String runId, HostsSpec hosts, GpuRequest gpus) {}
