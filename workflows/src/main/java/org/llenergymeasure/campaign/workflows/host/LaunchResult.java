package org.llenergymeasure.campaign.workflows.host;

/**
 * What launch found or made.
 *
 * @param handle the container name (container modes) or the process handle (process mode)
 * @param state what launch saw: "started", "attached" (already running), "exited" (finished while
 *     nobody watched: await and collect take its exit)
 * @param resultDir the attempt's results folder on the host
 */
public record LaunchResult(String handle, String state, String resultDir) {}
