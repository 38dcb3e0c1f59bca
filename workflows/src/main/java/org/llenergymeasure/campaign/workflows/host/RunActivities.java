package org.llenergymeasure.campaign.workflows.host;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The host activities of one run attempt, in order. Each runs on the task queue of the host that
 * routed the run ({@code llem-host-<hostId>}) and is idempotent: Temporal may run it again after a
 * worker crash, and it then finds what its earlier try made (the container by its name, the ledger
 * line by run id + attempt).
 *
 * <p>Failures are {@code ApplicationFailure}s whose type is one of {@code FailureTypes}.
 */
@ActivityInterface
public interface RunActivities {

  @ActivityMethod(name = "Route")
  GpuRouting route(RouteRequest request);

  @ActivityMethod(name = "Launch")
  LaunchResult launch(LaunchRequest request);

  @ActivityMethod(name = "Verify")
  VerifyResult verify(VerifyRequest request);

  @ActivityMethod(name = "Await")
  AwaitResult await(AwaitRequest request);

  @ActivityMethod(name = "Collect")
  CollectResult collect(CollectRequest request);

  /**
   * Removes the container, then checks the run's GPUs are clean (no process left, memory back) and
   * quarantines those that are not, then releases the lease. Always returns a result: no GPU
   * quarantined is an empty list.
   */
  @ActivityMethod(name = "Cleanup")
  CleanupResult cleanup(CleanupRequest request);
}
