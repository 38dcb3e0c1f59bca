package org.llenergymeasure.campaign.worker.host;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.AwaitResult;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.CleanupResult;
import org.llenergymeasure.campaign.workflows.host.CollectRequest;
import org.llenergymeasure.campaign.workflows.host.CollectResult;
import org.llenergymeasure.campaign.workflows.host.CooldownRequest;
import org.llenergymeasure.campaign.workflows.host.CooldownResult;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.IdleBaselineRequest;
import org.llenergymeasure.campaign.workflows.host.IdleBaselineResult;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;
import org.llenergymeasure.campaign.workflows.host.RouteRequest;
import org.llenergymeasure.campaign.workflows.host.RunActivities;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;
import org.llenergymeasure.campaign.workflows.host.VerifyResult;

/**
 * Heartbeats the short host steps (route, launch, verify, collect, cleanup) from a side thread
 * while they work, so that the server notices a worker killed in the middle of one after the step's
 * heartbeat timeout (seconds) instead of its start-to-close timeout (up to 30 minutes for a launch
 * that may pull an image). Await and cooldown heartbeat on their own, with progress.
 */
final class HeartbeatingSteps implements RunActivities {

  private static final long PERIOD_MS = 3000;

  private final RunActivities delegate;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "llem-step-heartbeats");
            t.setDaemon(true);
            return t;
          });

  HeartbeatingSteps(RunActivities delegate) {
    this.delegate = delegate;
  }

  private <T> T beating(Supplier<T> step) {
    ActivityExecutionContext context;
    try {
      context = Activity.getExecutionContext();
    } catch (RuntimeException notInAnActivity) {
      return step.get(); // called directly (a CLI command), not by Temporal
    }
    ScheduledFuture<?> beats =
        timer.scheduleAtFixedRate(
            () -> {
              try {
                context.heartbeat(null);
              } catch (RuntimeException ignored) {
                // canceled or timed out: the step itself learns it from its own result
              }
            },
            PERIOD_MS,
            PERIOD_MS,
            TimeUnit.MILLISECONDS);
    try {
      return step.get();
    } finally {
      beats.cancel(false);
    }
  }

  @Override
  public GpuRouting route(RouteRequest request) {
    return beating(() -> delegate.route(request));
  }

  @Override
  public LaunchResult launch(LaunchRequest request) {
    return beating(() -> delegate.launch(request));
  }

  @Override
  public VerifyResult verify(VerifyRequest request) {
    return beating(() -> delegate.verify(request));
  }

  @Override
  public AwaitResult await(AwaitRequest request) {
    return delegate.await(request);
  }

  @Override
  public CollectResult collect(CollectRequest request) {
    return beating(() -> delegate.collect(request));
  }

  @Override
  public CleanupResult cleanup(CleanupRequest request) {
    return beating(() -> delegate.cleanup(request));
  }

  @Override
  public IdleBaselineResult idleBaseline(IdleBaselineRequest request) {
    // Heartbeats on its own, after every reading.
    return delegate.idleBaseline(request);
  }

  @Override
  public CooldownResult cooldown(CooldownRequest request) {
    return delegate.cooldown(request);
  }
}
