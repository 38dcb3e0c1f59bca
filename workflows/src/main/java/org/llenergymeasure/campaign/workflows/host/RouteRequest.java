package org.llenergymeasure.campaign.workflows.host;

import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.config.Experiment;

/** Route (and lease) the GPUs of one run attempt on the host whose queue receives it. */
public record RouteRequest(RunRef run, Experiment experiment, AttachMode attach) {}
