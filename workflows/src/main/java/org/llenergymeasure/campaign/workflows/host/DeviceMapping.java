package org.llenergymeasure.campaign.workflows.host;

/** "Inside the run, cuda:{@code container} is host GPU {@code hostIndex} ({@code uuid})". */
public record DeviceMapping(int container, String uuid, int hostIndex) {}
