package org.llenergymeasure.campaign.activities.container;

import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.RunBackend;
import org.llenergymeasure.campaign.workflows.host.AwaitProgress;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.AwaitResult;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;

/** Runs on the Docker engine: one container per run attempt. */
public final class DockerRunBackend implements RunBackend {

  private final ContainerLauncher launcher;
  private final ContainerProbe probe;
  private final ContainerAwaiter awaiter;
  private final ContainerCleaner cleaner;
  private final ContainerLogs logs;

  public DockerRunBackend(DockerEngine engine) {
    this.launcher = new ContainerLauncher(engine, ContainerLauncher.DEFAULT_HOLD_LIMIT);
    this.probe = new ContainerProbe(engine);
    this.awaiter = ContainerAwaiter.realTime(engine);
    this.cleaner = new ContainerCleaner(engine);
    this.logs = new ContainerLogs(engine);
  }

  @Override
  public LaunchResult launch(LaunchRequest request, HostSettings settings) {
    return launcher.launch(request, settings);
  }

  @Override
  public ProbeOutputs probe(VerifyRequest request, HostSettings settings) {
    return probe.run(request, settings);
  }

  @Override
  public void release(String handle) {
    launcher.release(handle);
  }

  @Override
  public void discard(String handle) {
    launcher.discard(handle);
  }

  @Override
  public AwaitResult await(
      AwaitRequest request,
      HostSettings settings,
      AwaitProgress previous,
      Heartbeater heartbeater) {
    return awaiter.await(request, settings, previous, heartbeater);
  }

  @Override
  public boolean saveLog(String handle, java.nio.file.Path attemptDir) {
    return logs.saveLog(handle, attemptDir);
  }

  @Override
  public void cleanup(CleanupRequest request, HostSettings settings) {
    cleaner.cleanup(request, settings);
  }
}
