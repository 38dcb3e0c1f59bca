package org.llenergymeasure.campaign.workflows.host;

import org.llenergymeasure.campaign.config.Experiment;

/** Check inside the launched run which GPUs it really sees, then release it to start. */
public record VerifyRequest(RunRef run, Experiment experiment, GpuRouting routing, String handle) {}
