package org.llenergymeasure.campaign.activities;

import org.llenergymeasure.campaign.activities.container.Heartbeater;
import org.llenergymeasure.campaign.activities.container.ProbeOutputs;
import org.llenergymeasure.campaign.workflows.host.AwaitProgress;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.AwaitResult;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;

/**
 * The impure edge of a run: where its command really executes, one implementation per kind of
 * attach mode ({@code DockerRunBackend}: a container; {@code ProcessRunBackend}: a local process),
 * chosen by {@link RunBackendByAttach}. The host activities keep the routing, verification, leases
 * and ledger logic; a backend only starts, probes, watches and removes. Failures are {@link
 * RunFailureException}s with stable types.
 */
public interface RunBackend extends AttemptLogSaver {

  /** Create-or-attach, held before the command until {@link #release}. */
  LaunchResult launch(LaunchRequest request, HostSettings settings);

  /** Raw device-view and CUDA-view outputs from inside the held run. */
  ProbeOutputs probe(VerifyRequest request, HostSettings settings);

  /** Verification passed: let the run's command start. */
  void release(String handle);

  /** Verification failed: stop and remove before anything is measured. */
  void discard(String handle);

  AwaitResult await(
      AwaitRequest request, HostSettings settings, AwaitProgress previous, Heartbeater heartbeater);

  /** Save the log if not yet saved and remove the container; idempotent. */
  void cleanup(CleanupRequest request, HostSettings settings);
}
