package org.llenergymeasure.campaign.workflows.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.workflows.LlemDataConverter;
import org.llenergymeasure.campaign.workflows.LlemSearchAttributes;
import org.llenergymeasure.campaign.workflows.TaskQueues;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.AwaitResult;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.CleanupResult;
import org.llenergymeasure.campaign.workflows.host.CollectRequest;
import org.llenergymeasure.campaign.workflows.host.CollectResult;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;
import org.llenergymeasure.campaign.workflows.host.RouteRequest;
import org.llenergymeasure.campaign.workflows.host.RunActivities;
import org.llenergymeasure.campaign.workflows.host.RunFailure;
import org.llenergymeasure.campaign.workflows.host.RunRef;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;
import org.llenergymeasure.campaign.workflows.host.VerifyResult;
import org.llenergymeasure.campaign.workflows.plan.PlanActivitiesImpl;
import org.llenergymeasure.campaign.workflows.run.ExperimentWorkflowImpl;

/**
 * The campaign and run workflows on a time-skipping test server with adaptive cycles; only the
 * host's activities are scripted (collect returns the metric's value by run id). Three experiments,
 * min 2, max 5, ±3 % at 95 %, latin-square order: {@code c} repeats one value (within the target
 * after cycle 2), {@code a} gives 10.0, 10.2, 10.1 (±12.6 % after two cycles, ±2.46 % after three),
 * {@code b} alternates 5 and 15 (never within it: it runs to max).
 */
class AdaptiveCyclesWorkflowTest {

  static final String YAML =
      """
      campaign: %s
      experiments:
        - {name: a, image: img:1}
        - {name: b, image: img:1}
        - {name: c, image: img:1}
      execution:
        order: latin-square
        cycles:
          min: 2
          max: 5
          until: {metric: energyPerTokenJ, relativeHalfWidth: 3%%, confidence: 0.95}
      """;

  /**
   * Latin square of 3: cycle 1 a b c, 2 b c a, 3 c a b, 4 c b a, 5 a c b; filtered to the
   * experiments not yet within the target.
   */
  static final List<String> EXPECTED =
      List.of("a.c1", "b.c1", "c.c1", "b.c2", "c.c2", "a.c2", "a.c3", "b.c3", "b.c4", "b.c5");

  static final List<String> started = Collections.synchronizedList(new ArrayList<>());
  static final List<String> metricsAsked = Collections.synchronizedList(new ArrayList<>());

  private TestWorkflowEnvironment env;

  /**
   * The host's activities of one run attempt, scripted: every run is routed to host {@code sim},
   * launched, verified and awaited at once, and its collect returns the scripted value of the
   * metric it is asked for; in the campaigns named {@code failing-*}, b.c2's collect fails.
   */
  public static class ScriptedHost implements RunActivities {
    @Override
    public GpuRouting route(RouteRequest request) {
      started.add(request.run().runId());
      return new GpuRouting(
          "sim", AttachMode.ENV, List.of(), Map.of(), null, 0, List.of(), List.of(), true);
    }

    @Override
    public LaunchResult launch(LaunchRequest request) {
      return new LaunchResult("h-" + request.run().runId(), "running", "/tmp/none");
    }

    @Override
    public VerifyResult verify(VerifyRequest request) {
      return new VerifyResult(List.of(), null, null);
    }

    @Override
    public AwaitResult await(AwaitRequest request) {
      return new AwaitResult(0, 600_000, "done");
    }

    @Override
    public CollectResult collect(CollectRequest request) {
      metricsAsked.add(request.metric());
      RunRef run = request.run();
      if (run.campaign().startsWith("failing") && run.runId().equals("b.c2")) {
        return new CollectResult(
            "failed",
            new RunFailure("ResultInvalid", "the result has no energyPerTokenJ"),
            "/tmp/none",
            Map.of(),
            null);
      }
      return new CollectResult(
          "completed",
          null,
          "/tmp/none",
          Map.of(),
          request.metric() == null ? null : value(run.experiment(), run.cycle()));
    }

    @Override
    public CleanupResult cleanup(CleanupRequest request) {
      return CleanupResult.clean();
    }
  }

  static double value(String experiment, int cycle) {
    return switch (experiment) {
      case "a" -> new double[] {10.0, 10.2, 10.1, 10.1, 10.1}[cycle - 1];
      case "b" -> cycle % 2 == 1 ? 5.0 : 15.0;
      default -> 20.0;
    };
  }

  @BeforeEach
  void setUp() {
    started.clear();
    metricsAsked.clear();
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
                      case "Keyword" -> IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
                      case "KeywordList" -> IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST;
                      default -> IndexedValueType.INDEXED_VALUE_TYPE_INT;
                    }));
    Worker worker = env.newWorker(TaskQueues.CAMPAIGNS);
    worker.registerWorkflowImplementationTypes(
        CampaignWorkflowImpl.class, ExperimentWorkflowImpl.class);
    worker.registerActivitiesImplementations(new PlanActivitiesImpl());
    env.newWorker(TaskQueues.host("sim")).registerActivitiesImplementations(new ScriptedHost());
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private CampaignProgress run(String name, Integer continueAsNewAfterRuns) throws Exception {
    LoadedCampaign loaded = CampaignLoader.parse(YAML.formatted(name), "test.yaml");
    WorkflowClient client = env.getWorkflowClient();
    CampaignWorkflow stub =
        client.newWorkflowStub(
            CampaignWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(CampaignWorkflow.workflowId(name))
                .setTaskQueue(TaskQueues.CAMPAIGNS)
                .build());
    WorkflowClient.start(
        stub::run,
        new CampaignInput(
            loaded.campaign(), loaded.plan().hash(), List.of("sim"), null, continueAsNewAfterRuns));
    return WorkflowStub.fromTyped(stub).getResult(CampaignProgress.class);
  }

  private static void assertConverged(CampaignProgress p) {
    assertEquals(CampaignStatus.COMPLETED, p.state());
    assertEquals(10, p.planned());
    assertEquals(10, p.completed());
    assertEquals(10L, p.plannedMax());
    assertEquals(0, p.convergenceOmitted());
    List<ExperimentConvergence> c = p.convergence();
    assertEquals(
        List.of("a", "b", "c"), c.stream().map(ExperimentConvergence::experiment).toList());
    assertEquals(List.of(3, 5, 2), c.stream().map(ExperimentConvergence::n).toList());
    assertEquals(List.of(3, 5, 2), c.stream().map(ExperimentConvergence::cycles).toList());
    assertEquals(
        List.of(true, false, true), c.stream().map(ExperimentConvergence::converged).toList());
    assertEquals(10.1, c.get(0).mean(), 1e-12);
    // t(0.975, 2) = 4.302653 × sd 0.1 / √3
    assertEquals(0.248414, c.get(0).halfWidth(), 1e-6);
    assertEquals(0.0, c.get(2).halfWidth(), 0.0);
    assertTrue(c.get(1).relativeHalfWidth() > 0.03, "b never gets within ±3 %");
  }

  @Test
  void onlyTheExperimentsShortOfTheTargetGetAnotherCycleUpToMax() throws Exception {
    CampaignProgress p = run("adaptive-test", null);
    assertEquals(EXPECTED, started);
    assertEquals(Collections.nCopies(10, "energyPerTokenJ"), metricsAsked);
    assertConverged(p);
  }

  @Test
  void theGrownPlanSurvivesContinueAsNew() throws Exception {
    // After 4 runs (inside cycle 2) and again after 4 more (inside the grown part: cycle 3/4).
    CampaignProgress p = run("adaptive-can-test", 4);
    assertEquals(EXPECTED, started);
    assertConverged(p);
    // The last execution was continued from an earlier one, with the grown plan's compact state.
    var history =
        env.getWorkflowClient().fetchHistory(CampaignWorkflow.workflowId("adaptive-can-test"));
    var startedEvent =
        history.getHistory().getEvents(0).getWorkflowExecutionStartedEventAttributes();
    assertTrue(
        !startedEvent.getContinuedExecutionRunId().isEmpty(), "the campaign continued as new");
    CampaignInput input =
        LlemDataConverter.create()
            .fromPayloads(
                0,
                java.util.Optional.of(startedEvent.getInput()),
                CampaignInput.class,
                CampaignInput.class);
    // Execution 1 started 4 runs (cycle 2 not ended), execution 2 ended cycle 2, planned cycle
    // 3 for a and b, ran it, planned cycle 4 for b alone, then continued: the third started with
    // the grown plan's compact form.
    assertEquals(List.of(3, 4, 2), input.state().cyclesPlanned());
    assertEquals(List.of(3, 3, 2), input.state().metricStats().stream().map(s -> s.n()).toList());
    assertEquals(9, input.state().runs().length());
  }

  @Test
  void aFailedRunEndsItsCycleWithoutAValue() throws Exception {
    // b.c2 fails: after cycle 2, b has one value (5: no interval yet) and a two (±12.6 %), so
    // cycle 3 (c a b) is planned for a and b; c is within the target. b.c3 gives 5 again: b's two
    // values agree exactly (±0), a's three are within ±3 %, so no cycle 4.
    CampaignProgress p = run("failing-test", null);
    assertEquals(List.of("a.c1", "b.c1", "c.c1", "b.c2", "c.c2", "a.c2", "a.c3", "b.c3"), started);
    assertEquals(CampaignStatus.COMPLETED, p.state());
    assertEquals(List.of(8L, 7L, 1L), List.of(p.planned(), p.completed(), p.failed()));
    assertEquals(List.of(3, 3, 2), p.convergence().stream().map(c -> c.cycles()).toList());
    assertEquals(List.of(3, 2, 2), p.convergence().stream().map(c -> c.n()).toList());
    assertEquals(8L, p.plannedMax());
  }

  @Test
  void aFixedCountOfCyclesShowsNoConvergence() throws Exception {
    LoadedCampaign loaded =
        CampaignLoader.parse(
            "campaign: fixed-test\nexperiments:\n  - {name: a, image: img:1}\n"
                + "execution: {cycles: 2}\n",
            "test.yaml");
    WorkflowClient client = env.getWorkflowClient();
    CampaignWorkflow stub =
        client.newWorkflowStub(
            CampaignWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(CampaignWorkflow.workflowId("fixed-test"))
                .setTaskQueue(TaskQueues.CAMPAIGNS)
                .build());
    WorkflowClient.start(
        stub::run,
        new CampaignInput(loaded.campaign(), loaded.plan().hash(), List.of("sim"), null, null));
    CampaignProgress p = WorkflowStub.fromTyped(stub).getResult(CampaignProgress.class);
    assertEquals(List.of("a.c1", "a.c2"), started);
    assertEquals(Collections.nCopies(2, null), metricsAsked);
    assertNull(p.plannedMax());
    assertNull(p.convergence());
  }
}
