package org.llenergymeasure.campaign.activities;

import java.nio.file.Path;
import org.llenergymeasure.campaign.activities.container.Heartbeater;
import org.llenergymeasure.campaign.activities.container.ProbeOutputs;
import org.llenergymeasure.campaign.activities.process.ProcessRunContainers;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.workflows.host.AwaitProgress;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.AwaitResult;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;

/**
 * Sends each step to the containers (attach device-request, env, cdi) or to local processes (attach
 * process). Launch decides by the routing's attach mode; every later step by the handle launch
 * returned ({@code process:...} handles are never valid container names), and cleanup without a
 * handle by the routing again.
 */
public final class RunContainersByAttach implements RunContainers {

  private final RunContainers containers;
  private final RunContainers processes;

  public RunContainersByAttach(RunContainers containers, RunContainers processes) {
    this.containers = containers;
    this.processes = processes;
  }

  private RunContainers byRouting(GpuRouting routing) {
    return routing != null && routing.attach() == AttachMode.PROCESS ? processes : containers;
  }

  private RunContainers byHandle(String handle) {
    return ProcessRunContainers.isProcessHandle(handle) ? processes : containers;
  }

  @Override
  public LaunchResult launch(LaunchRequest request, HostSettings settings) {
    return byRouting(request.routing()).launch(request, settings);
  }

  @Override
  public ProbeOutputs probe(VerifyRequest request, HostSettings settings) {
    return byHandle(request.handle()).probe(request, settings);
  }

  @Override
  public void release(String handle) {
    byHandle(handle).release(handle);
  }

  @Override
  public void discard(String handle) {
    byHandle(handle).discard(handle);
  }

  @Override
  public AwaitResult await(
      AwaitRequest request,
      HostSettings settings,
      AwaitProgress previous,
      Heartbeater heartbeater) {
    return byHandle(request.handle()).await(request, settings, previous, heartbeater);
  }

  @Override
  public boolean saveLog(String handle, Path attemptDir) {
    return byHandle(handle).saveLog(handle, attemptDir);
  }

  @Override
  public void cleanup(CleanupRequest request, HostSettings settings) {
    RunContainers target =
        request.handle() != null ? byHandle(request.handle()) : byRouting(request.routing());
    target.cleanup(request, settings);
  }
}
