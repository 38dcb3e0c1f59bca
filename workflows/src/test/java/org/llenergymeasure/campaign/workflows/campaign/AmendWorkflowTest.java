package org.llenergymeasure.campaign.workflows.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;
import org.llenergymeasure.campaign.workflows.host.VerifyResult;
import org.llenergymeasure.campaign.workflows.plan.CampaignPack;
import org.llenergymeasure.campaign.workflows.plan.PlanActivitiesImpl;
import org.llenergymeasure.campaign.workflows.run.ExperimentWorkflowImpl;

/**
 * {@code amend} on a test server (time skipping; only the host's activities are scripted). Three
 * experiments, three cycles, interleaved: a b c | a b c | a b c. While b.c2 runs (held in its
 * await), the file becomes a (unchanged), c (its command changed) and d (new), b removed: b.c2
 * finishes, b.c3 is skipped, c's runs not yet started run as {@code c@v2} with the new command, d
 * runs in cycle 3 only (cycle 2 had started).
 */
class AmendWorkflowTest {

  static final String V1 =
      """
      campaign: %s
      experiments:
        - {name: a, image: img:1}
        - {name: b, image: img:1}
        - {name: c, image: img:1, command: [run, old]}
      execution: {cycles: 3}
      """;

  static final String V2 =
      """
      campaign: %s
      experiments:
        - {name: a, image: img:1}
        - {name: c, image: img:1, command: [run, new]}
        - {name: d, image: img:1}
      execution: {cycles: 3}
      """;

  static final List<String> EXPECTED =
      List.of("a.c1", "b.c1", "c.c1", "a.c2", "b.c2", "c@v2.c2", "a.c3", "c@v2.c3", "d.c3");

  static final List<String> started = Collections.synchronizedList(new ArrayList<>());

  /** Run id -> the command it was launched with. */
  static final Map<String, String> commands = new ConcurrentHashMap<>();

  /** Run id -> the experiment name its collect was told. */
  static final Map<String, String> collected = new ConcurrentHashMap<>();

  static volatile CountDownLatch holding = new CountDownLatch(1);
  static volatile CountDownLatch release = new CountDownLatch(1);

  private TestWorkflowEnvironment env;

  /** Every run is routed to {@code sim} and succeeds; b.c2 waits in its await until released. */
  public static class ScriptedHost implements RunActivities {
    @Override
    public GpuRouting route(RouteRequest request) {
      started.add(request.run().runId());
      return new GpuRouting(
          "sim", AttachMode.ENV, List.of(), Map.of(), null, 0, List.of(), List.of(), true);
    }

    @Override
    public LaunchResult launch(LaunchRequest request) {
      commands.put(request.run().runId(), String.valueOf(request.experiment().command()));
      return new LaunchResult("h-" + request.run().runId(), "running", "/tmp/none");
    }

    @Override
    public VerifyResult verify(VerifyRequest request) {
      return new VerifyResult(List.of(), null, null);
    }

    @Override
    public AwaitResult await(AwaitRequest request) {
      if (request.run().runId().equals("b.c2")) {
        holding.countDown();
        try {
          release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return new AwaitResult(0, 600_000, "done");
    }

    @Override
    public CollectResult collect(CollectRequest request) {
      collected.put(request.run().runId(), request.run().experiment());
      return new CollectResult("completed", null, "/tmp/none", Map.of(), null);
    }

    @Override
    public CleanupResult cleanup(CleanupRequest request) {
      return CleanupResult.clean();
    }
  }

  @BeforeEach
  void setUp() {
    started.clear();
    commands.clear();
    collected.clear();
    holding = new CountDownLatch(1);
    release = new CountDownLatch(1);
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
    release.countDown();
    env.close();
  }

  private CampaignWorkflow start(String name, String yaml, Integer continueAsNewAfterRuns)
      throws Exception {
    LoadedCampaign loaded = CampaignLoader.parse(yaml.formatted(name), "v1.yaml");
    CampaignWorkflow stub =
        env.getWorkflowClient()
            .newWorkflowStub(
                CampaignWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(CampaignWorkflow.workflowId(name))
                    .setTaskQueue(TaskQueues.CAMPAIGNS)
                    .build());
    WorkflowClient.start(
        stub::run,
        CampaignInput.packed(
            loaded.campaign(), loaded.plan().hash(), List.of("sim"), continueAsNewAfterRuns));
    return stub;
  }

  static AmendRequest request(String yaml, String name) throws Exception {
    LoadedCampaign loaded = CampaignLoader.parse(yaml.formatted(name), "v2.yaml");
    return new AmendRequest(CampaignPack.pack(loaded.campaign()), loaded.plan().hash());
  }

  private CampaignProgress amendWhileBc2Runs(String name, Integer continueAsNewAfterRuns)
      throws Exception {
    CampaignWorkflow campaign = start(name, V1, continueAsNewAfterRuns);
    assertTrue(holding.await(60, TimeUnit.SECONDS), "b.c2 never ran; started: " + started);
    CurrentPlan before = campaign.currentPlan();
    assertEquals(1, before.planVersion());
    String answer = campaign.amend(request(V2, name));
    assertTrue(answer.contains("plan v2"), answer);
    assertTrue(answer.contains("removed b"), answer);
    assertTrue(answer.contains("changed c (command) -> runs as c@v2"), answer);
    CurrentPlan after = campaign.currentPlan();
    assertEquals(2, after.planVersion());
    assertEquals(
        List.of(before.planHashes().get(0), request(V2, name).planHash()), after.planHashes());
    assertEquals(Map.of("a", "a", "c", "c@v2", "d", "d"), after.runNames());
    release.countDown();
    return WorkflowStub.fromTyped(campaign).getResult(CampaignProgress.class);
  }

  private static void assertAmended(CampaignProgress end) {
    assertEquals(CampaignStatus.COMPLETED, end.state());
    assertEquals(EXPECTED, started);
    // b.c2 (running at the amend) finished; b.c3 (not started) skipped.
    assertEquals(10, end.planned());
    assertEquals(9, end.completed());
    assertEquals(1, end.skipped());
    assertEquals("[run, old]", commands.get("c.c1"));
    assertEquals("[run, new]", commands.get("c@v2.c2"));
    assertEquals("[run, new]", commands.get("c@v2.c3"));
    // Reported apart: the old runs as c, the new ones as c@v2.
    assertEquals("c", collected.get("c.c1"));
    assertEquals("c@v2", collected.get("c@v2.c2"));
    assertEquals(2, end.planVersion());
    assertEquals(2, end.planHashes().size());
    assertEquals(1, end.amendments().size());
    assertTrue(
        end.amendments().get(0).contains("1 run(s) skipped as removed"), end.amendments().get(0));
  }

  @Test
  void anAmendMidwayAddsRemovesAndVersionsExperiments() throws Exception {
    assertAmended(amendWhileBc2Runs("amend-midway", null));
  }

  @Test
  void continueAsNewKeepsTheAmendedPlanAndItsHashes() throws Exception {
    // Continues as new after every 2 runs started: before the amend and after it, so later
    // executions rebuild the amended plan from the carried amendments.
    assertAmended(amendWhileBc2Runs("amend-continued", 2));
  }

  @Test
  void impossibleChangesAreRefusedWithTheReason() throws Exception {
    String name = "amend-refused";
    CampaignWorkflow campaign = start(name, V1, null);
    assertTrue(holding.await(60, TimeUnit.SECONDS));
    assertRefused(campaign, V1.replace("{cycles: 3}", "{cycles: 4}"), name, "execution block");
    assertRefused(campaign, V1, name, "already runs under this plan");
    assertRefused(
        campaign,
        V1.replace("- {name: a, image: img:1}", "- {name: a, image: img:1, labels: {x: y}}"),
        name,
        "already runs under this plan");
    assertRefused(
        campaign,
        V2.replace(
            "{cycles: 3}",
            "{cycles: {min: 2, max: 3, until: {metric: energyJ, relativeHalfWidth: 5%%,"
                + " confidence: 0.95}}}"),
        name,
        "adaptive cycles cannot be amended");
    assertRefused(campaign, V2.replace("campaign: %s", "campaign: other-%s"), name, "not " + name);
    assertRefused(campaign, V2 + "attach: env\n", name, "attach changed");
    release.countDown();
    CampaignProgress end = WorkflowStub.fromTyped(campaign).getResult(CampaignProgress.class);
    assertEquals(9, end.completed(), "nothing changed");
    assertEquals(1, end.planVersion());
  }

  private static void assertRefused(
      CampaignWorkflow campaign, String yaml, String name, String reason) throws Exception {
    AmendRequest r = request(yaml, name);
    WorkflowUpdateException e =
        assertThrows(WorkflowUpdateException.class, () -> campaign.amend(r));
    String message = String.valueOf(e.getCause().getMessage());
    assertTrue(message.contains(reason), message);
  }
}
