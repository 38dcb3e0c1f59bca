package org.llenergymeasure.campaign.worker.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.dockerjava.api.DockerClient;
import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.plugin.LlemCampaignPlugin;
import org.llenergymeasure.campaign.worker.host.HostStepInterceptor;
import org.llenergymeasure.campaign.worker.host.TransitionLog;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;
import org.slf4j.LoggerFactory;

/**
 * The plugin on a user's own worker, as a team would add it: their client with their own data
 * converter and payload codec, their worker interceptor, their workflow and activity on their own
 * queue. A campaign started as a child of their workflow runs through the plugin, and:
 *
 * <ul>
 *   <li>the user's codec stays in charge: every payload in the histories of their workflow, the
 *       campaign and a run (inputs, results, activity and local-activity payloads) carries its
 *       mark;
 *   <li>the user's interceptor still sees their own activity and ours;
 *   <li>ours does not act on the user's activity, although it has the type name of one of our host
 *       steps ("Launch") and fails: our step counter (in the user's metrics scope) counts our two
 *       runs' launches and not theirs;
 *   <li>the child campaign is started with ParentClosePolicy ABANDON.
 * </ul>
 */
@Tag("docker")
@Tag("temporal")
@ExtendWith(DockerExtension.class)
class PluginCompositionTest {

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  private final String suffix = Long.toString(System.nanoTime() % 100_000, 36);

  /** The user's worker interceptor: notes every activity type it sees. */
  private static final class Seen extends WorkerInterceptorBase {
    final Set<String> types = ConcurrentHashMap.newKeySet();

    @Override
    public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
      return new ActivityInboundCallsInterceptorBase(next) {
        @Override
        public void init(ActivityExecutionContext context) {
          types.add(context.getInfo().getActivityType());
          super.init(context);
        }
      };
    }
  }

  @Test
  void aUsersCodecAndInterceptorStayInChargeWhileACampaignRunsThroughThePlugin(
      DockerClient docker, @TempDir Path tmp) throws Exception {
    String name = "plugin-codec-" + suffix;
    String hostId = "plugin-host-" + suffix;
    String yaml =
        String.join(
            "\n",
            "campaign: " + name,
            "defaults: {image: 'llem-probe:dev', timeout: 2m}",
            "experiments:",
            "  - name: one",
            "    gpus: [0]",
            "    command: [sh, -c, 'echo \"{}\" > /results/result.json']",
            "  - name: two",
            "    gpus: [1]",
            "    command: [sh, -c, 'echo \"{}\" > /results/result.json']",
            "");
    LlemCampaignPlugin plugin =
        LlemCampaignPlugin.builder(hostId)
            .results(tmp.resolve("results"))
            .inventoryFolder(
                DockerExtension.repoRoot().resolve("examples/inventories/sim-4gpu-idle"))
            .home(tmp.resolve("home"))
            .build();
    // The user's service stubs report the SDK's metrics (ours join them) to their registry.
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Scope scope =
        new RootScopeBuilder()
            .reporter(new MicrometerClientStatsReporter(meters))
            .reportEvery(com.uber.m3.util.Duration.ofMillis(100));
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(temporal.address())
                .setMetricsScope(scope)
                .build());
    WorkflowClient client =
        WorkflowClient.newInstance(
            service,
            WorkflowClientOptions.newBuilder()
                .setNamespace("default")
                .setDataConverter(
                    new CodecDataConverter(
                        DefaultDataConverter.newDefaultInstance(), List.of(new MarkingCodec())))
                .setPlugins(plugin)
                .build());
    Seen seen = new Seen();
    WorkerFactory factory =
        WorkerFactory.newInstance(
            client, WorkerFactoryOptions.newBuilder().setWorkerInterceptors(seen).build());
    factory
        .newWorker(UserWorkflow.QUEUE)
        .registerWorkflowImplementationTypes(UserWorkflow.Impl.class);
    factory
        .getWorker(UserWorkflow.QUEUE)
        .registerActivitiesImplementations(new UserWorkflow.UserActivitiesImpl());

    Logger transitions = (Logger) LoggerFactory.getLogger(TransitionLog.LOGGER);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    transitions.addAppender(logged);
    String parentId = "user-parent-" + suffix;
    String outcome;
    try {
      factory.start();
      UserWorkflow parent =
          client.newWorkflowStub(
              UserWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(parentId)
                  .setTaskQueue(UserWorkflow.QUEUE)
                  .build());
      WorkflowClient.start(parent::run, yaml);
      outcome =
          client.newUntypedWorkflowStub(parentId).getResult(4, TimeUnit.MINUTES, String.class);
    } finally {
      factory.shutdown();
      factory.awaitTermination(10, TimeUnit.SECONDS);
      plugin.close();
      scope.close();
      service.shutdown();
      transitions.detachAppender(logged);
      DockerExtension.removeContainersLabelled(docker, "llem.campaign=" + name);
    }
    assertEquals("own launch failed; campaign/" + name + " completed: 2 of 2", outcome);

    // The codec: every payload of the three kinds of history went through it.
    List<HistoryEvent> parentEvents = temporal.client().fetchHistory(parentId).getEvents();
    List<HistoryEvent> campaignEvents =
        temporal.client().fetchHistory("campaign/" + name).getEvents();
    List<HistoryEvent> runEvents =
        temporal.client().fetchHistory("campaign/" + name + "/one.c1").getEvents();
    List<String> unmarked = new ArrayList<>();
    int payloads = 0;
    int localActivityResults = 0;
    for (List<HistoryEvent> events : List.of(parentEvents, campaignEvents, runEvents)) {
      for (HistoryEvent e : events) {
        for (PayloadWalk.Found f : PayloadWalk.of(e)) {
          payloads++;
          if (f.path().contains("details[result]")) {
            localActivityResults++;
          }
          if (!MarkingCodec.marked(f.payload()) && !sdkBookkeeping(f.path())) {
            unmarked.add(e.getEventType() + " " + f.path());
          }
        }
      }
    }
    assertTrue(payloads > 20, "payloads found: " + payloads);
    assertTrue(localActivityResults > 0, "no local activity result among the payloads checked");
    assertEquals(List.of(), unmarked, "payloads that did not go through the user's codec");

    // The child campaign outlives its parent.
    HistoryEvent initiated =
        parentEvents.stream()
            .filter(
                e ->
                    e.getEventType()
                        == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED)
            .findFirst()
            .orElseThrow();
    assertEquals(
        ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON,
        initiated.getStartChildWorkflowExecutionInitiatedEventAttributes().getParentClosePolicy());

    // The user's interceptor saw their activity and ours; ours left theirs alone.
    assertTrue(seen.types.contains("Launch"), seen.types.toString());
    assertTrue(seen.types.contains("Route"), seen.types.toString());
    assertTrue(seen.types.contains("LlemPrepareCampaign"), seen.types.toString());
    List<String> lines = logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertTrue(lines.stream().anyMatch(l -> l.contains("routed on " + hostId)), lines.toString());
    // Our step counter: each of our two runs' steps counted once, in the user's metrics; the
    // user's failed "Launch" (on their queue) not at all.
    assertEquals(2.0, stepCount(meters, "Route", "completed"), 0.0);
    assertEquals(2.0, stepCount(meters, "Launch", "completed"), 0.0);
    assertEquals(0.0, stepCount(meters, "Launch", "failed"), 0.0);
  }

  /**
   * The SDK writes its own markers' bookkeeping (a local activity's id, type, time and metadata, a
   * version marker's change id and version) with its standard converter, never the user's; their
   * input and result payloads ("input", "result", "data") do go through the user's codec.
   */
  private static boolean sdkBookkeeping(String path) {
    return path.contains("marker_recorded_event_attributes.details[")
        && SDK_MARKER_KEYS.stream().anyMatch(k -> path.contains("details[" + k + "]"));
  }

  private static final List<String> SDK_MARKER_KEYS =
      List.of(
          "activityId",
          "type",
          "time",
          "meta",
          "changeId",
          "version",
          "versionSearchAttributeUpdated",
          "id",
          "skipCount");

  private static double stepCount(MeterRegistry meters, String step, String outcome) {
    return meters
        .find(HostStepInterceptor.STEP_COUNTER)
        .tag("step", step)
        .tag("outcome", outcome)
        .counters()
        .stream()
        .mapToDouble(Counter::count)
        .sum();
  }
}
