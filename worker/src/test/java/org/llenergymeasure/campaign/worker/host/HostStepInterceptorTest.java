package org.llenergymeasure.campaign.worker.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.workflows.LlemDataConverter;
import org.llenergymeasure.campaign.workflows.TaskQueues;
import org.slf4j.LoggerFactory;

/**
 * The host worker's interceptor on Temporal's test server: our fake host steps and a user's own
 * activity on the same worker, watched from outside the interceptor (heartbeats, the moment each
 * step reports) and through the transition log.
 */
class HostStepInterceptorTest {

  private static final String HOST_QUEUE = TaskQueues.host("gpu-a");
  private static final String OTHER_QUEUE = "users-own-queue";
  private static final List<String> ALL =
      List.of(
          "Route",
          "Launch",
          "Verify",
          "Await",
          "Collect",
          "Cleanup",
          "Cooldown",
          "IdleBaseline",
          "Greet");

  private final Probe probe = new Probe();
  private TestWorkflowEnvironment env;
  private HostStepInterceptor steps;
  private FakeHostSteps fake;

  /** Starts the test server with both queues served by one factory with the interceptor. */
  private void start(TestStepDelay delay, Duration period, long workMillis) {
    steps = new HostStepInterceptor(delay, period);
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setUseTimeskipping(false)
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setDataConverter(LlemDataConverter.create())
                        .build())
                // The last interceptor is the outermost: the probe sees what ours hands on.
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder().setWorkerInterceptors(steps, probe).build())
                .build());
    fake = new FakeHostSteps(workMillis);
    for (String queue : List.of(HOST_QUEUE, OTHER_QUEUE)) {
      Worker worker = env.newWorker(queue);
      worker.registerWorkflowImplementationTypes(StepsWorkflow.Impl.class);
      worker.registerActivitiesImplementations(fake, fake.users());
    }
    env.start();
  }

  private List<String> run(String queue, List<String> steps) {
    StepsWorkflow workflow =
        env.getWorkflowClient()
            .newWorkflowStub(
                StepsWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(queue).build());
    return workflow.run(queue, steps);
  }

  @AfterEach
  void stop() {
    if (env != null) {
      env.close();
    }
    if (steps != null) {
      steps.close();
    }
  }

  @Test
  void shortStepsAreHeartbeatedButNeitherAwaitNorCareNorAUsersOwnActivity() {
    start(TestStepDelay.none(), Duration.ofMillis(50), 400);
    assertEquals(Collections.nCopies(ALL.size(), "ok"), run(HOST_QUEUE, ALL));
    for (String type : List.of("Route", "Launch", "Verify", "Collect", "Cleanup")) {
      assertTrue(probe.heartbeats(type) >= 2, type + " heartbeats: " + probe.heartbeats(type));
    }
    for (String type : List.of("Await", "Cooldown", "IdleBaseline", "Greet")) {
      assertEquals(0, probe.heartbeats(type), type + " must not be heartbeated by the interceptor");
    }
  }

  @Test
  void onAnotherQueueOurOwnStepTypesPassThroughUntouched() {
    start(new TestStepDelay(Duration.ofMillis(1000)), Duration.ofMillis(50), 400);
    List<String> lines =
        logged(
            () -> assertEquals(List.of("ok", "ok"), run(OTHER_QUEUE, List.of("Launch", "Await"))));
    assertEquals(List.of(), lines);
    assertEquals(0, probe.heartbeats("Launch"));
    long after = probe.reportedAfterWork("Launch", fake);
    assertTrue(after < 500, "Launch reported " + after + " ms after its work");
  }

  @Test
  void runStepsReportOnlyAfterTheTestDelayCareStepsAndAUsersActivityAtOnce() {
    start(new TestStepDelay(Duration.ofMillis(1000)), Duration.ofMillis(50), 0);
    run(HOST_QUEUE, ALL);
    for (String type : HostSteps.RUN) {
      long after = probe.reportedAfterWork(type, fake);
      assertTrue(after >= 950, type + " reported " + after + " ms after its work");
    }
    for (String type : List.of("Cooldown", "IdleBaseline", "Greet")) {
      long after = probe.reportedAfterWork(type, fake);
      assertTrue(after < 500, type + " reported " + after + " ms after its work");
    }
  }

  @Test
  void eachTransitionIsOneLineWithItsFactsAndAFailureCarriesItsType() {
    start(TestStepDelay.none(), Duration.ofSeconds(3), 0);
    List<String> lines =
        logged(
            () ->
                assertEquals(
                    List.of(
                        "ok",
                        "ok",
                        "ok",
                        "failed SilenceTimeout",
                        "ok",
                        // thrown unwrapped by the fake; the log still names its type
                        "failed " + RunFailureException.class.getName(),
                        "ok",
                        "ok",
                        "ok",
                        "ok",
                        "ok"),
                    run(
                        HOST_QUEUE,
                        List.of(
                            "Route",
                            "Launch",
                            "Verify",
                            "Await!",
                            "Await",
                            "Collect!",
                            "Collect",
                            "Cleanup",
                            "Cooldown",
                            "IdleBaseline",
                            "Greet"))));
    assertEquals(
        List.of(
            "run camp/e.c1 a2 routed on gpu-a to GPUs 0=GPU-1",
            "run camp/e.c1 a2 launched: llem-camp-e-c1-a2 (running)",
            "run camp/e.c1 a2 verified: sees GPU-1",
            "run camp/e.c1 a2 await failed: SilenceTimeout: no output for 60 s",
            "run camp/e.c1 a2 exited 0 after 3 s",
            "run camp/e.c1 a2 collect failed: ResultMissing: no result.json in /r",
            "run camp/e.c1 a2 completed",
            "run camp/e.c1 a2 cleaned up",
            "e.c1 cooldown on gpu-a: reached after 2 s (cool)",
            "campaign camp idle baseline on gpu-a: 1 GPU at rest"),
        lines);
  }

  /** The transition log's lines while {@code body} runs. */
  private static List<String> logged(Runnable body) {
    Logger logger = (Logger) LoggerFactory.getLogger(TransitionLog.LOGGER);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      body.run();
      return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    } finally {
      logger.detachAppender(appender);
    }
  }

  /**
   * Outside our interceptor: counts the heartbeats it sends (through a context that counts) and
   * notes when each step's result leaves it.
   */
  private static final class Probe extends WorkerInterceptorBase {

    private final Map<String, AtomicInteger> heartbeats = new ConcurrentHashMap<>();
    private final Map<String, Long> reported = new ConcurrentHashMap<>();

    int heartbeats(String type) {
      AtomicInteger n = heartbeats.get(type);
      return n == null ? 0 : n.get();
    }

    long reportedAfterWork(String type, FakeHostSteps fake) {
      return (reported.get(type) - fake.workDone.get(type)) / 1_000_000;
    }

    @Override
    public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
      return new ActivityInboundCallsInterceptorBase(next) {
        private String type;

        @Override
        public void init(ActivityExecutionContext context) {
          type = context.getInfo().getActivityType();
          AtomicInteger count = heartbeats.computeIfAbsent(type, t -> new AtomicInteger());
          super.init(
              (ActivityExecutionContext)
                  Proxy.newProxyInstance(
                      ActivityExecutionContext.class.getClassLoader(),
                      new Class<?>[] {ActivityExecutionContext.class},
                      (proxy, method, args) -> {
                        if (method.getName().equals("heartbeat")) {
                          count.incrementAndGet();
                        }
                        try {
                          return method.invoke(context, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                          throw e.getCause();
                        }
                      }));
        }

        @Override
        public ActivityOutput execute(ActivityInput input) {
          try {
            return super.execute(input);
          } finally {
            reported.put(type, System.nanoTime());
          }
        }
      };
    }
  }
}
