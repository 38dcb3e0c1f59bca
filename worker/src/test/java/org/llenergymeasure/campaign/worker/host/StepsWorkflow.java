package org.llenergymeasure.campaign.worker.host;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.ActivityStub;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.llenergymeasure.campaign.workflows.host.RunRef;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;
import org.llenergymeasure.campaign.workflows.host.VerifyResult;

/**
 * Calls host steps by activity type on one task queue, one after another, once each: {@code
 * "Await"}, or {@code "Await!"} for a request that the fake fails ({@link FakeHostSteps#FAIL}).
 * Returns each step's outcome: {@code ok} or {@code failed <type>}.
 */
@WorkflowInterface
public interface StepsWorkflow {

  RunRef RUN = new RunRef("camp", "e.c1", "e", 1, 2);

  @WorkflowMethod
  List<String> run(String taskQueue, List<String> steps);

  /** The workflow. */
  class Impl implements StepsWorkflow {

    @Override
    public List<String> run(String taskQueue, List<String> steps) {
      ActivityStub stub =
          Workflow.newUntypedActivityStub(
              ActivityOptions.newBuilder()
                  .setTaskQueue(taskQueue)
                  .setStartToCloseTimeout(Duration.ofSeconds(30))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build());
      List<String> outcomes = new ArrayList<>();
      for (String step : steps) {
        boolean fail = step.endsWith("!");
        String type = fail ? step.substring(0, step.length() - 1) : step;
        String handle = fail ? FakeHostSteps.FAIL : "h";
        try {
          call(stub, type, handle);
          outcomes.add("ok");
        } catch (ActivityFailure f) {
          outcomes.add(
              "failed "
                  + (f.getCause() instanceof ApplicationFailure a ? a.getType() : f.getCause()));
        }
      }
      return outcomes;
    }

    private static void call(ActivityStub stub, String type, String handle) {
      switch (type) {
        case "Route" -> stub.execute(type, GpuRouting.class, new RouteRequest(RUN, null, null));
        case "Launch" -> stub.execute(type, LaunchResult.class, new LaunchRequest(RUN, null, null));
        case "Verify" ->
            stub.execute(type, VerifyResult.class, new VerifyRequest(RUN, null, null, handle));
        case "Await" -> stub.execute(type, AwaitResult.class, new AwaitRequest(RUN, null, handle));
        case "Collect" ->
            stub.execute(
                type,
                CollectResult.class,
                new CollectRequest(RUN, null, null, handle, List.of(), null, 0, 0));
        case "Cleanup" ->
            stub.execute(type, CleanupResult.class, new CleanupRequest(RUN, handle, null));
        case "Cooldown" ->
            stub.execute(
                type,
                CooldownResult.class,
                new CooldownRequest(
                    RUN.runId(),
                    List.of("GPU-1"),
                    45,
                    Duration.ofMinutes(1),
                    Map.of(),
                    null,
                    null));
        case "IdleBaseline" ->
            stub.execute(
                type,
                IdleBaselineResult.class,
                new IdleBaselineRequest(RUN.campaign(), 5, Duration.ofSeconds(1)));
        default -> stub.execute(type, String.class, "user");
      }
    }
  }
}
