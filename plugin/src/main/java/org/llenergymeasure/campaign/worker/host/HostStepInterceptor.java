package org.llenergymeasure.campaign.worker.host;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import java.time.Duration;
import java.util.Map;
import org.llenergymeasure.campaign.workflows.TaskQueues;

/**
 * What a host worker adds to each of its own host steps, registered with the worker factory ({@link
 * HostWiring}, after any interceptor already there): heartbeats over the short steps ({@link
 * HostSteps#SHORT}; never over await, cooldown or idle baseline, whose heartbeat details carry
 * their progress), the {@link TestStepDelay} of the fault drills, the {@link TransitionLog} and a
 * step counter. It acts only on this project's activity types ({@link HostSteps}) run from a host's
 * queue ({@code llem-host-<hostId>}, whose host id the log lines name); any other activity on the
 * same worker passes through untouched.
 */
public final class HostStepInterceptor extends WorkerInterceptorBase implements AutoCloseable {

  /** The counter of host steps by {@code step} and {@code outcome} (completed, failed). */
  public static final String STEP_COUNTER = "llem_host_step";

  private final StepHeartbeats heartbeats;
  private final TestStepDelay delay;
  private final boolean metrics;

  HostStepInterceptor(TestStepDelay delay, Duration heartbeatPeriod) {
    this(delay, heartbeatPeriod, true);
  }

  HostStepInterceptor(TestStepDelay delay, Duration heartbeatPeriod, boolean metrics) {
    this.delay = delay;
    this.heartbeats = new StepHeartbeats(heartbeatPeriod);
    this.metrics = metrics;
  }

  /**
   * The interceptor of a worker whose environment is {@code env} (read for {@code
   * LLEM_TEST_STEP_DELAY_MS}).
   *
   * @throws IllegalArgumentException when the delay is not a number
   */
  public static HostStepInterceptor forEnvironment(Map<String, String> env) {
    return forEnvironment(env, true);
  }

  /**
   * As {@link #forEnvironment(Map)}; with {@code metrics}, each host step's outcome is counted as
   * {@value #STEP_COUNTER} in the worker's SDK metrics scope.
   */
  public static HostStepInterceptor forEnvironment(Map<String, String> env, boolean metrics) {
    return new HostStepInterceptor(
        TestStepDelay.fromEnvironment(env), StepHeartbeats.PERIOD, metrics);
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new Calls(next);
  }

  /** Stops the heartbeat thread. */
  @Override
  public void close() {
    heartbeats.close();
  }

  private final class Calls extends ActivityInboundCallsInterceptorBase {

    private ActivityExecutionContext context;

    Calls(ActivityInboundCallsInterceptor next) {
      super(next);
    }

    @Override
    public void init(ActivityExecutionContext context) {
      this.context = context;
      super.init(context);
    }

    @Override
    public ActivityOutput execute(ActivityInput input) {
      ActivityInfo info = context.getInfo();
      String type = info.getActivityType();
      String hostId = TaskQueues.hostIdOf(info.getActivityTaskQueue());
      if (info.isLocal() || hostId == null || !HostSteps.isHostStep(type)) {
        return super.execute(input);
      }
      Object request = input.getArguments().length == 1 ? input.getArguments()[0] : null;
      ActivityOutput output;
      try {
        output = work(type, input);
      } catch (RuntimeException e) {
        TransitionLog.failed(type, request, e);
        count(type, "failed");
        throw e;
      }
      TransitionLog.succeeded(hostId, request, output.getResult());
      count(type, "completed");
      return output;
    }

    private void count(String type, String outcome) {
      if (metrics) {
        context
            .getMetricsScope()
            .tagged(Map.of("step", type, "outcome", outcome))
            .counter(STEP_COUNTER)
            .inc(1);
      }
    }

    private ActivityOutput work(String type, ActivityInput input) {
      if (!HostSteps.RUN.contains(type)) {
        return super.execute(input);
      }
      StepHeartbeats.Beat beat = HostSteps.SHORT.contains(type) ? heartbeats.start(context) : null;
      try {
        ActivityOutput output = super.execute(input);
        delay.afterWork();
        return output;
      } finally {
        if (beat != null) {
          beat.close();
        }
      }
    }
  }
}
