package org.llenergymeasure.campaign.activities;

import java.nio.file.Path;
import org.llenergymeasure.campaign.activities.process.ProcessRunBackend;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;

/**
 * Which {@link RunBackend} runs a step: containers for attach device-request, env and cdi, local
 * processes for attach process. Launch is chosen by the routing's attach mode; every later step by
 * the handle launch returned ({@code process:...} handles are never valid container names), and a
 * cleanup without a handle by the routing again.
 */
public final class RunBackendByAttach implements AttemptLogSaver {

  private final RunBackend containers;
  private final RunBackend processes;

  public RunBackendByAttach(RunBackend containers, RunBackend processes) {
    this.containers = containers;
    this.processes = processes;
  }

  /** One backend for every attach mode (a test's scripted one). */
  public static RunBackendByAttach only(RunBackend backend) {
    return new RunBackendByAttach(backend, backend);
  }

  /** For a launch: by the routing's attach mode. */
  public RunBackend forRouting(GpuRouting routing) {
    return routing != null && routing.attach() == AttachMode.PROCESS ? processes : containers;
  }

  /** For a step after launch: by the handle launch returned. */
  public RunBackend forHandle(String handle) {
    return ProcessRunBackend.isProcessHandle(handle) ? processes : containers;
  }

  /** For a cleanup, which may come without a handle (a launch that never reported back). */
  public RunBackend forCleanup(CleanupRequest request) {
    return request.handle() != null ? forHandle(request.handle()) : forRouting(request.routing());
  }

  @Override
  public boolean saveLog(String handle, Path attemptDir) {
    return forHandle(handle).saveLog(handle, attemptDir);
  }
}
