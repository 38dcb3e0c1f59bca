package org.llenergymeasure.campaign.workflows.host;

/** Always runs last: save logs if not saved, remove the container, release the GPU lease. */
public record CleanupRequest(RunRef run, String handle, GpuRouting routing) {}
