package org.llenergymeasure.campaign.workflows.host;

import org.llenergymeasure.campaign.config.Experiment;

/** Create-or-attach the run attempt's container (or process) with the routing's GPUs. */
public record LaunchRequest(RunRef run, Experiment experiment, GpuRouting routing) {}
