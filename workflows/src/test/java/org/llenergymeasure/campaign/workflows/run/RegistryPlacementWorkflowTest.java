package org.llenergymeasure.campaign.workflows.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.sdk.v1.WorkflowMetadata;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.config.HostsSpec;
import org.llenergymeasure.campaign.config.PlannedRun;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.LlemDataConverter;
import org.llenergymeasure.campaign.workflows.LlemSearchAttributes;
import org.llenergymeasure.campaign.workflows.TaskQueues;
import org.llenergymeasure.campaign.workflows.TestExperiments;
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
import org.llenergymeasure.campaign.workflows.host.IdleGpu;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;
import org.llenergymeasure.campaign.workflows.host.RouteRequest;
import org.llenergymeasure.campaign.workflows.host.RunActivities;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;
import org.llenergymeasure.campaign.workflows.host.VerifyResult;
import org.llenergymeasure.campaign.workflows.placement.Placement;
import org.llenergymeasure.campaign.workflows.placement.PlacementActivities;
import org.llenergymeasure.campaign.workflows.placement.PlacementRequest;

/**
 * A run placed from the registry, on a time-skipping test server: the placement activity is a
 * scripted double, three hosts' route activities refuse or accept as scripted. The run goes to the
 * first candidate that accepts, waits with the placement's sentence in its phase when none fits,
 * and fails with InvalidGpuSelection when no registered host could ever fit it.
 */
class RegistryPlacementWorkflowTest {

  /** What the scripted placement answers, in turn (the last one repeats). */
  static final List<Placement> answers = Collections.synchronizedList(new ArrayList<>());

  static final List<PlacementRequest> asked = Collections.synchronizedList(new ArrayList<>());

  /** Route calls as {@code host} strings, and collects as {@code host:failureType}. */
  static final List<String> calls = Collections.synchronizedList(new ArrayList<>());

  public static class ScriptedPlacement implements PlacementActivities {
    @Override
    public Placement place(PlacementRequest request) {
      asked.add(request);
      synchronized (answers) {
        return answers.size() > 1 ? answers.remove(0) : answers.get(0);
      }
    }
  }

  /** A host whose routing accepts or refuses as busy (retryable GpuBusy, "try the next host"). */
  public static class ScriptedHost implements RunActivities {
    private final String host;
    private final boolean busy;

    ScriptedHost(String host, boolean busy) {
      this.host = host;
      this.busy = busy;
    }

    @Override
    public GpuRouting route(RouteRequest request) {
      calls.add("route " + host);
      if (busy) {
        throw ApplicationFailure.newFailure("count: 2 needs 2 idle GPUs", FailureTypes.GPU_BUSY);
      }
      return new GpuRouting(
          host,
          AttachMode.ENV,
          List.of(),
          Map.of(),
          null,
          0,
          List.of("GPU-" + host),
          List.of(),
          true);
    }

    @Override
    public LaunchResult launch(LaunchRequest request) {
      calls.add("launch " + host);
      return new LaunchResult("h", "running", "/tmp/none");
    }

    @Override
    public VerifyResult verify(VerifyRequest request) {
      return new VerifyResult(List.of(), null, null);
    }

    @Override
    public AwaitResult await(AwaitRequest request) {
      return new AwaitResult(0, 1_000, "done");
    }

    @Override
    public CollectResult collect(CollectRequest request) {
      calls.add(
          "collect " + host + (request.failure() == null ? "" : ":" + request.failure().type()));
      return new CollectResult(
          request.failure() == null ? "completed" : "failed",
          request.failure(),
          "/tmp/none",
          Map.of(),
          null);
    }

    @Override
    public CleanupResult cleanup(CleanupRequest request) {
      return CleanupResult.clean();
    }
  }

  /** A host's idle baseline activity: records the call before launch, answers one GPU. */
  public static class ScriptedCare implements GpuCareActivities {
    private final String host;

    ScriptedCare(String host) {
      this.host = host;
    }

    @Override
    public CooldownResult cooldown(CooldownRequest request) {
      throw new UnsupportedOperationException("no cooldown here");
    }

    @Override
    public IdleBaselineResult idleBaseline(IdleBaselineRequest request) {
      calls.add("idleBaseline " + host);
      return new IdleBaselineResult(
          host, Map.of("GPU-" + host, new IdleGpu(30, 50.0, 5, 0)), "1 GPU");
    }
  }

  private TestWorkflowEnvironment env;

  @BeforeEach
  void setUp() {
    answers.clear();
    asked.clear();
    calls.clear();
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setDataConverter(LlemDataConverter.create())
                        .build())
                .build());
    LlemSearchAttributes.definitions()
        .forEach(
            (name, type) ->
                env.registerSearchAttribute(
                    name,
                    switch (type) {
                      case "Keyword" ->
                          io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
                      case "KeywordList" ->
                          io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST;
                      default -> io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT;
                    }));
    Worker worker = env.newWorker(TaskQueues.CAMPAIGNS);
    worker.registerWorkflowImplementationTypes(ExperimentWorkflowImpl.class);
    worker.registerActivitiesImplementations(new ScriptedPlacement());
    env.newWorker(TaskQueues.host("start")).registerActivitiesImplementations(host("start", false));
    env.newWorker(TaskQueues.host("h1")).registerActivitiesImplementations(host("h1", true));
    env.newWorker(TaskQueues.host("h2"))
        .registerActivitiesImplementations(host("h2", false), new ScriptedCare("h2"));
    env.start();
  }

  private static ScriptedHost host(String id, boolean busy) {
    return new ScriptedHost(id, busy);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private ExperimentWorkflow stub(String runId) {
    return env.getWorkflowClient()
        .newWorkflowStub(
            ExperimentWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(ExperimentWorkflow.workflowId("pool", runId))
                .setTaskQueue(TaskQueues.CAMPAIGNS)
                .build());
  }

  private static RunInput input(String runId) {
    return input(runId, null);
  }

  private static RunInput input(String runId, List<String> idleBaselineHosts) {
    return new RunInput(
        "pool",
        new PlannedRun(runId, "e1", 1, 0),
        TestExperiments.experiment("e1", null, GpuRequest.count(2, "*H100*")),
        AttachMode.ENV,
        List.of("start"),
        1,
        1,
        null,
        HostsSpec.anyHost(),
        idleBaselineHosts);
  }

  @Test
  void aHostNewToTheCampaignGetsItsIdleBaselineBeforeTheRunsLaunch() {
    answers.add(Placement.on(List.of("h2")));
    RunOutcome outcome = stub("e1.c4").run(input("e1.c4", List.of("start", "h1")));
    assertEquals("h2", outcome.host());
    assertEquals(List.of("route h2", "idleBaseline h2", "launch h2", "collect h2"), calls);
    assertEquals("h2", outcome.joinedHostBaseline().host());
    // A host the campaign already measured is not measured again.
    calls.clear();
    answers.clear();
    answers.add(Placement.on(List.of("h2")));
    RunOutcome known = stub("e1.c5").run(input("e1.c5", List.of("h2")));
    assertEquals(List.of("route h2", "launch h2", "collect h2"), calls);
    assertEquals(null, known.joinedHostBaseline());
  }

  @Test
  void theRunLandsOnTheFirstCandidateThatAccepts() {
    answers.add(Placement.on(List.of("h1", "h2")));
    RunOutcome outcome = stub("e1.c1").run(input("e1.c1"));
    assertEquals(RunOutcome.Status.COMPLETED, outcome.status());
    assertEquals("h2", outcome.host());
    assertEquals(List.of("route h1", "route h2", "launch h2", "collect h2"), calls);
    assertEquals(1, asked.size());
    assertEquals(GpuRequest.count(2, "*H100*"), asked.get(0).gpus());
    assertEquals(HostsSpec.anyHost(), asked.get(0).hosts());
  }

  @Test
  void withNoCandidateTheRunWaitsSayingWhyAndReadsTheRegistryAgain() throws Exception {
    String why = "2 idle GPUs matching *H100* on any of 2 hosts: h1 has 1 free of 4, h2 is stale";
    answers.add(Placement.waiting(why));
    answers.add(Placement.on(List.of("h1")));
    answers.add(Placement.on(List.of("h2")));
    ExperimentWorkflow run = stub("e1.c2");
    WorkflowExecution started = WorkflowClient.start(run::run, input("e1.c2"));
    AtomicReference<String> details = new AtomicReference<>("");
    for (int i = 0; i < 300 && !details.get().contains("waiting"); i++) {
      Thread.sleep(50);
      details.set(currentDetails(started.getWorkflowId()));
    }
    assertTrue(details.get().contains("waiting: " + why), details.get());
    RunOutcome outcome = WorkflowStub.fromTyped(run).getResult(RunOutcome.class);
    assertEquals("h2", outcome.host());
    // Read three times: none fits; h1 (which refuses); h2.
    assertEquals(3, asked.size());
    assertEquals(List.of("route h1", "route h2", "launch h2", "collect h2"), calls);
    long markers =
        env.getWorkflowClient().fetchHistory(started.getWorkflowId()).getEvents().stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED)
            .count();
    assertTrue(markers >= 4, "each placement recorded, and the version: " + markers);
  }

  @Test
  void aRunNoRegisteredHostCouldEverFitFailsNamingWhy() {
    answers.add(
        Placement.neverFits(
            "run e1.c3 asks for 2 GPUs matching *H100* on one host, and no registered host could"
                + " ever fit it: h1 has no GPU matching *H100*"));
    RunOutcome outcome = stub("e1.c3").run(input("e1.c3"));
    assertEquals(RunOutcome.Status.FAILED, outcome.status());
    assertEquals(FailureTypes.INVALID_GPU_SELECTION, outcome.failure().type());
    assertTrue(
        outcome.failure().message().contains("could ever fit it"), outcome.failure().message());
    assertEquals(List.of("collect start:InvalidGpuSelection"), calls);
  }

  private String currentDetails(String workflowId) {
    try {
      String d =
          env.getWorkflowClient()
              .newUntypedWorkflowStub(workflowId)
              .query("__temporal_workflow_metadata", WorkflowMetadata.class)
              .getCurrentDetails();
      return d == null ? "" : d;
    } catch (RuntimeException notYet) {
      return "";
    }
  }
}
