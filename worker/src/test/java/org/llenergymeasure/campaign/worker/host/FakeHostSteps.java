package org.llenergymeasure.campaign.worker.host;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.AwaitResult;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.CleanupResult;
import org.llenergymeasure.campaign.workflows.host.CollectRequest;
import org.llenergymeasure.campaign.workflows.host.CollectResult;
import org.llenergymeasure.campaign.workflows.host.CooldownRequest;
import org.llenergymeasure.campaign.workflows.host.CooldownResult;
import org.llenergymeasure.campaign.workflows.host.GpuCareActivities;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.IdleBaselineRequest;
import org.llenergymeasure.campaign.workflows.host.IdleBaselineResult;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;
import org.llenergymeasure.campaign.workflows.host.RouteRequest;
import org.llenergymeasure.campaign.workflows.host.RoutedDevice;
import org.llenergymeasure.campaign.workflows.host.RunActivities;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;
import org.llenergymeasure.campaign.workflows.host.VerifyResult;

/**
 * Host steps that answer at once (after {@code workMillis}) and note when each finished its work; a
 * request whose handle is {@link #FAIL} fails: await with an ApplicationFailure, collect with a
 * RunFailureException. Also a user's own activity, {@code Greet}, for the same worker.
 */
final class FakeHostSteps implements RunActivities, GpuCareActivities {

  static final String FAIL = "fail";

  /** An activity of the user's own, registered on the host's worker beside ours. */
  @ActivityInterface
  public interface UsersOwnActivities {
    @ActivityMethod(name = "Greet")
    String greet(String name);
  }

  /** Nanos at which each activity type last finished its own work, by type. */
  final Map<String, Long> workDone = new ConcurrentHashMap<>();

  private final long workMillis;

  FakeHostSteps(long workMillis) {
    this.workMillis = workMillis;
  }

  private <T> T worked(String type, T result) {
    try {
      Thread.sleep(workMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workDone.put(type, System.nanoTime());
    return result;
  }

  UsersOwnActivities users() {
    return new Greeter();
  }

  private final class Greeter implements UsersOwnActivities {
    @Override
    public String greet(String name) {
      return worked(Activity.getExecutionContext().getInfo().getActivityType(), "hi " + name);
    }
  }

  @Override
  public GpuRouting route(RouteRequest r) {
    RoutedDevice gpu = new RoutedDevice("GPU-1", 0, "H100", null, null);
    return worked(
        "Route",
        new GpuRouting(
            "gpu-a",
            AttachMode.ENV,
            List.of(gpu),
            Map.of(),
            null,
            1,
            List.of("GPU-1"),
            List.of(),
            true));
  }

  @Override
  public LaunchResult launch(LaunchRequest r) {
    return worked("Launch", new LaunchResult("llem-camp-e-c1-a2", "running", "/r"));
  }

  @Override
  public VerifyResult verify(VerifyRequest r) {
    return worked("Verify", new VerifyResult(List.of("GPU-1"), List.of("GPU-1"), null));
  }

  @Override
  public AwaitResult await(AwaitRequest r) {
    AwaitResult exited = worked("Await", new AwaitResult(0, 3000, "done"));
    if (FAIL.equals(r.handle())) {
      throw ApplicationFailure.newNonRetryableFailure("no output for 60 s", "SilenceTimeout");
    }
    return exited;
  }

  @Override
  public CollectResult collect(CollectRequest r) {
    CollectResult collected = worked("Collect", new CollectResult("completed", null, "/r", null));
    if (FAIL.equals(r.handle())) {
      throw new RunFailureException("ResultMissing", "no result.json in /r", false);
    }
    return collected;
  }

  @Override
  public CleanupResult cleanup(CleanupRequest r) {
    return worked("Cleanup", CleanupResult.clean());
  }

  @Override
  public CooldownResult cooldown(CooldownRequest r) {
    return worked("Cooldown", new CooldownResult(true, Map.of("GPU-1", 40), 2000, "cool"));
  }

  @Override
  public IdleBaselineResult idleBaseline(IdleBaselineRequest r) {
    return worked("IdleBaseline", new IdleBaselineResult("gpu-a", Map.of(), "1 GPU at rest"));
  }
}
