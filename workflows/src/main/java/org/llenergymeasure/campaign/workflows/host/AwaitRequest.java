package org.llenergymeasure.campaign.workflows.host;

import org.llenergymeasure.campaign.config.Experiment;

/** Wait for the run to end, heartbeating; the watchdogs come from the experiment. */
public record AwaitRequest(RunRef run, Experiment experiment, String handle) {}
