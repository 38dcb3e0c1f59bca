package org.llenergymeasure.campaign.worker.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.llenergymeasure.campaign.worker.replay.RecorderKit.HOST;
import static org.llenergymeasure.campaign.worker.replay.RecorderKit.campaignStub;
import static org.llenergymeasure.campaign.worker.replay.RecorderKit.histories;
import static org.llenergymeasure.campaign.worker.replay.RecorderKit.host;
import static org.llenergymeasure.campaign.worker.replay.RecorderKit.indexOf;
import static org.llenergymeasure.campaign.worker.replay.RecorderKit.record;
import static org.llenergymeasure.campaign.worker.replay.RecorderKit.scheduled;
import static org.llenergymeasure.campaign.worker.replay.RecorderKit.scriptedHost;
import static org.llenergymeasure.campaign.worker.replay.RecorderKit.waitFor;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.GpuCare;
import org.llenergymeasure.campaign.activities.HostRunActivities;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.RunBackendByAttach;
import org.llenergymeasure.campaign.activities.TestHostRunActivities;
import org.llenergymeasure.campaign.activities.gpu.cooldown.FileThermometer;
import org.llenergymeasure.campaign.activities.gpu.cooldown.GpuCooldown;
import org.llenergymeasure.campaign.activities.gpu.cooldown.GpuOccupancy;
import org.llenergymeasure.campaign.activities.gpu.cooldown.GpuSensor;
import org.llenergymeasure.campaign.activities.gpu.cooldown.IdleBaselineSampler;
import org.llenergymeasure.campaign.activities.gpu.inventory.FileInventorySource;
import org.llenergymeasure.campaign.activities.gpu.inventory.GpuProcess;
import org.llenergymeasure.campaign.activities.gpu.inventory.HostInventory;
import org.llenergymeasure.campaign.activities.gpu.inventory.InventorySource;
import org.llenergymeasure.campaign.activities.gpu.lease.GpuLeaseStore;
import org.llenergymeasure.campaign.activities.gpu.quarantine.GpuHygiene;
import org.llenergymeasure.campaign.activities.gpu.quarantine.GpuMemory;
import org.llenergymeasure.campaign.activities.gpu.quarantine.QuarantineStore;
import org.llenergymeasure.campaign.activities.gpu.telemetry.NoGpuTelemetry;
import org.llenergymeasure.campaign.activities.gpu.telemetry.ScriptedGpuTelemetry;
import org.llenergymeasure.campaign.activities.ledger.ResultCollector;
import org.llenergymeasure.campaign.activities.measurement.RunSampler;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.activities.workflow.ScriptedRunBackend;
import org.llenergymeasure.campaign.activities.workflow.ScriptedRunBackend.Behaviour;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.worker.host.HostActivities;
import org.llenergymeasure.campaign.worker.host.WorkerHost;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;
import org.llenergymeasure.campaign.workflows.campaign.CampaignInput;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.CampaignStatus;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflow;

/**
 * Runs a small campaign on a real {@code temporal server start-dev} (scripted containers, real
 * everything else) through a failure, a retry, the circuit breaker's pause, a skip, retryFailed,
 * resume, a cooldown and a continue-as-new, and checks its outcome. With {@code
 * -Dllem.recordHistories=true} it also writes every history (each campaign execution and each run)
 * to {@code workflows/src/test/resources/histories/}, where {@code CampaignReplayTest} replays them
 * against the current workflow code:
 *
 * <pre>
 * ./mvnw -B -pl worker -am test -Dtest=CampaignHistoryRecorderTest -Dsurefire.failIfNoSpecifiedTests=false -Dllem.recordHistories=true
 * </pre>
 *
 * Record only when a change is meant to alter the command sequence, and then guard it with {@code
 * Workflow.getVersion} so the histories already here still replay: keep them and add the new ones
 * (docs/upgrading.md).
 */
@Tag("temporal")
class CampaignHistoryRecorderTest {

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  @Test
  void campaignThroughFailureRetryPauseSkipResumeAndContinueAsNew(@TempDir Path tmp)
      throws Exception {
    Path repo = DockerExtension.repoRoot();
    Path inventory = repo.resolve("examples/inventories/sim-4gpu-idle");
    LoadedCampaign loaded =
        CampaignLoader.parse(
            String.join(
                "\n",
                "campaign: replay-demo",
                "defaults: {image: 'fake:1', timeout: 10m}",
                "experiments:",
                "  - name: a",
                "    gpus: [0]",
                "  - name: b",
                "    gpus: [1, 2]",
                "    retries: 1",
                "execution:",
                "  cycles: 2",
                "  gap: 1s",
                "  cycleGap: 2s",
                "  cooldown: {maxGpuTemperatureC: 45, timeout: 1m}",
                "  maxConsecutiveFailures: 1",
                ""),
            "replay-demo.yaml");
    WorkflowClient client = temporal.client();
    ScriptedRunBackend containers =
        new ScriptedRunBackend(System::currentTimeMillis)
            .on("b.c1", 1, Behaviour.EXIT_NON_ZERO)
            .on("a.c2", 1, Behaviour.EXIT_NON_ZERO);
    HostActivities activities = scriptedHost(tmp, inventory, containers);
    try (WorkerHost worker = new WorkerHost(client, HOST, activities, 2).start()) {
      CampaignWorkflow campaign = campaignStub(client, "replay-demo");
      WorkflowExecution first =
          WorkflowClient.start(
              campaign::run,
              new CampaignInput(loaded.campaign(), loaded.plan().hash(), List.of(HOST), null, 2));
      // a.c2 fails: with maxConsecutiveFailures 1 the circuit breaker pauses the campaign.
      CampaignProgress paused = waitFor(campaign, CampaignStatus.PAUSED);
      assertTrue(paused.reason().startsWith("circuit breaker"), paused.reason());
      campaign.retryFailed();
      campaign.skip("b.c2");
      campaign.resume();
      CampaignProgress end = WorkflowStub.fromTyped(campaign).getResult(CampaignProgress.class);
      assertEquals(CampaignStatus.COMPLETED, end.state());
      assertEquals(List.of(3L, 0L, 1L), List.of(end.completed(), end.failed(), end.skipped()));

      List<WorkflowExecutionHistory> histories = histories(client, first);
      assertEquals(
          2,
          histories.stream()
              .filter(h -> h.getWorkflowExecution().getWorkflowId().equals("campaign/replay-demo"))
              .count(),
          "one continue-as-new");
      record(repo, "replay-demo", histories);
    }
  }

  /**
   * The remeasure path: the host's own readings make attempt 1 an invalid measurement (the run
   * reports more energy than its GPU used), so the run is measured again under {@code remeasure}
   * and attempt 2 counts. Recorded as {@code replay-remeasure-demo-*.json}: after replay-demo-* in
   * name order, so the first (slowest, cold) replay stays the one it always was.
   */
  @Test
  void invalidMeasurementThenRemeasured(@TempDir Path tmp) throws Exception {
    Path repo = DockerExtension.repoRoot();
    Path inventory = repo.resolve("examples/inventories/sim-4gpu-idle");
    LoadedCampaign loaded =
        CampaignLoader.parse(
            String.join(
                "\n",
                "campaign: remeasure-demo",
                "defaults: {image: 'fake:1', timeout: 10m}",
                "experiments:",
                "  - name: a",
                "    gpus: [0]",
                "    remeasure: 1",
                ""),
            "remeasure-demo.yaml");
    WorkflowClient client = temporal.client();
    ScriptedRunBackend containers =
        new ScriptedRunBackend(System::currentTimeMillis)
            .result("a.c1", 1, "{\"total_energy_j\": 150}")
            .result("a.c1", 2, "{\"total_energy_j\": 95}");
    ScriptedGpuTelemetry gpus = ScriptedGpuTelemetry.withStep(1000);
    gpus.gpu("GPU-0a1b2c3d-1111-4e5f-8a9b-000000000000", 100);
    HostSettings settings =
        new HostSettings(HOST, tmp.resolve("results"), inventory, Map.of(), null);
    GpuCare care = GpuCare.withoutHygiene(settings, new FileInventorySource(inventory, HOST));
    HostRunActivities activities =
        new HostRunActivities(
            settings,
            new FileInventorySource(inventory, HOST),
            new GpuLeaseStore(tmp.resolve("leases.json"), HOST, Clock.systemUTC()),
            RunBackendByAttach.only(containers),
            new ResultCollector(containers, gpus),
            care,
            new RunSampler(gpus, Duration.ofHours(1), gpus.clock()));
    try (WorkerHost worker =
        new WorkerHost(client, HOST, host(settings, activities, care), 2).start()) {
      CampaignWorkflow campaign = campaignStub(client, "remeasure-demo");
      WorkflowExecution first =
          WorkflowClient.start(
              campaign::run,
              new CampaignInput(
                  loaded.campaign(), loaded.plan().hash(), List.of(HOST), null, null));
      CampaignProgress end = WorkflowStub.fromTyped(campaign).getResult(CampaignProgress.class);
      assertEquals(List.of(1L, 0L), List.of(end.completed(), end.failed()));

      List<WorkflowExecutionHistory> histories = histories(client, first);
      WorkflowExecutionHistory run =
          histories.stream()
              .filter(h -> h.getWorkflowExecution().getWorkflowId().endsWith("/a.c1"))
              .findFirst()
              .orElseThrow();
      assertEquals(
          2, scheduled(run, "Launch"), "attempt 1 is measured again as attempt 2: two launches");
      record(repo, "replay-remeasure-demo", histories);
    }
  }

  /**
   * The adaptive cooldown and GPU hygiene: the idle baseline taken at campaign start (one
   * IdleBaseline activity), a cooldown request carrying it, and a cleanup that quarantines the GPU
   * a process was left on; the campaign's result lists it. Recorded with the prefix {@code
   * idle-hygiene-}.
   */
  @Test
  void idleBaselineCooldownAndAQuarantinedGpu(@TempDir Path tmp) throws Exception {
    Path repo = DockerExtension.repoRoot();
    Path inventory = Files.createDirectories(tmp.resolve("inventory"));
    Path sample = repo.resolve("examples/inventories/sim-4gpu-idle");
    for (String f : List.of("query-gpu.csv", "nvidia-smi-L.txt")) {
      Files.copy(sample.resolve(f), inventory.resolve(f));
    }
    String gpu0 = "GPU-0a1b2c3d-1111-4e5f-8a9b-000000000000";
    StringBuilder temps = new StringBuilder();
    for (String line : Files.readAllLines(sample.resolve("query-gpu.csv"))) {
      temps.append(line.split(",")[1].strip()).append(", 36, 70.0\n");
    }
    Files.writeString(inventory.resolve("temperature.csv"), temps.toString());
    LoadedCampaign loaded =
        CampaignLoader.parse(
            String.join(
                "\n",
                "campaign: idle-hygiene",
                "defaults: {image: 'fake:1', timeout: 10m}",
                "experiments:",
                "  - name: a",
                "    gpus: [0]",
                "  - name: b",
                "    gpus: [1]",
                "execution:",
                "  cooldown: {idleBaseline: true, timeout: 1m}",
                ""),
            "idle-hygiene.yaml");
    WorkflowClient client = temporal.client();
    ScriptedRunBackend containers = new ScriptedRunBackend(System::currentTimeMillis);
    HostSettings settings =
        new HostSettings(HOST, tmp.resolve("results"), inventory, Map.of(), null);
    FileInventorySource files = new FileInventorySource(inventory, HOST);
    // The cleanup's check sees a process left on GPU 0 (the routing's inventory does not, so the
    // next routing would lift the quarantine: b runs on GPU 1 anyway).
    InventorySource withLeftover =
        () -> {
          HostInventory h = files.read();
          return new HostInventory(
              h.hostId(), h.gpus(), List.of(new GpuProcess(4242, gpu0, 2566L)), true);
        };
    GpuSensor sensor = new FileThermometer(inventory).sensor();
    GpuCare care =
        new GpuCare(
            GpuCooldown.realTime(sensor, GpuOccupancy.of(files)),
            new IdleBaselineSampler(
                sensor, GpuOccupancy.of(files), d -> Thread.sleep(d.toMillis())),
            QuarantineStore.forHost(tmp.resolve("home"), HOST),
            new GpuHygiene(
                withLeftover,
                GpuMemory.none(),
                pid -> null,
                2,
                Duration.ofMillis(100),
                d -> Thread.sleep(d.toMillis())),
            Clock.systemUTC());
    HostRunActivities activities =
        TestHostRunActivities.of(
            settings,
            files,
            new GpuLeaseStore(tmp.resolve("leases.json"), HOST, Clock.systemUTC()),
            RunBackendByAttach.only(containers),
            new ResultCollector(containers, new NoGpuTelemetry("no GPU telemetry here")),
            care);
    try (WorkerHost worker =
        new WorkerHost(client, HOST, host(settings, activities, care), 2).start()) {
      CampaignWorkflow campaign = campaignStub(client, "idle-hygiene");
      WorkflowExecution first =
          WorkflowClient.start(
              campaign::run,
              new CampaignInput(
                  loaded.campaign(), loaded.plan().hash(), List.of(HOST), null, null));
      CampaignProgress end = WorkflowStub.fromTyped(campaign).getResult(CampaignProgress.class);
      assertEquals(CampaignStatus.COMPLETED, end.state());
      assertEquals(2L, end.completed());
      assertEquals(1, end.quarantined().size(), end.quarantined().toString());
      assertEquals(gpu0, end.quarantined().get(0).uuid());
      assertEquals(4242L, end.quarantined().get(0).holders().get(0).pid());
      assertEquals("idle-hygiene/a.c1/a1", end.quarantined().get(0).leftBy());

      List<WorkflowExecutionHistory> histories = histories(client, first);
      assertEquals(1, scheduled(histories.get(0), "IdleBaseline"), "one idle baseline, at start");
      record(repo, "idle-hygiene", histories);
    }
  }

  /**
   * The routed signal is sent without waiting: the launch is scheduled by the same workflow task
   * that sends it. Recorded with the prefix {@code routed-async-}.
   */
  @Test
  void theRoutedSignalDoesNotHoldBackTheLaunch(@TempDir Path tmp) throws Exception {
    Path repo = DockerExtension.repoRoot();
    Path inventory = repo.resolve("examples/inventories/sim-4gpu-idle");
    LoadedCampaign loaded =
        CampaignLoader.parse(
            String.join(
                "\n",
                "campaign: routed-async",
                "defaults: {image: 'fake:1', timeout: 10m}",
                "experiments:",
                "  - name: a",
                "    gpus: [0]",
                "  - name: b",
                "    gpus: [1]",
                ""),
            "routed-async.yaml");
    WorkflowClient client = temporal.client();
    ScriptedRunBackend containers = new ScriptedRunBackend(System::currentTimeMillis);
    HostActivities activities = scriptedHost(tmp, inventory, containers);
    try (WorkerHost worker = new WorkerHost(client, HOST, activities, 2).start()) {
      CampaignWorkflow campaign = campaignStub(client, "routed-async");
      WorkflowExecution first =
          WorkflowClient.start(
              campaign::run,
              new CampaignInput(
                  loaded.campaign(), loaded.plan().hash(), List.of(HOST), null, null));
      CampaignProgress end = WorkflowStub.fromTyped(campaign).getResult(CampaignProgress.class);
      assertEquals(2L, end.completed());
      List<WorkflowExecutionHistory> histories = histories(client, first);
      // The campaign still learned where each run went.
      assertEquals(
          2,
          histories.get(0).getEvents().stream()
              .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
              .filter(
                  e ->
                      e.getWorkflowExecutionSignaledEventAttributes()
                          .getSignalName()
                          .equals("runRouted"))
              .count());
      List<WorkflowExecutionHistory> runs =
          histories.stream()
              .filter(
                  h ->
                      h.getWorkflowExecution().getWorkflowId().startsWith("campaign/routed-async/"))
              .toList();
      assertEquals(2, runs.size());
      for (WorkflowExecutionHistory run : runs) {
        List<HistoryEvent> events = run.getEvents();
        int signal =
            indexOf(events, EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED, 0);
        int launch = indexOf(events, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, signal);
        assertTrue(
            signal >= 0 && launch > signal, "signal then launch in " + run.getWorkflowExecution());
        assertEquals(
            "Launch",
            events
                .get(launch)
                .getActivityTaskScheduledEventAttributes()
                .getActivityType()
                .getName());
        assertEquals(
            -1,
            indexOf(events.subList(signal, launch), EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, 0),
            "no workflow task between the signal and the launch");
      }
      record(repo, "routed-async", histories);
    }
  }

  /**
   * The packed input and the plan hash taken by a local activity (change id {@code
   * plan-hash-local-activity}), through a continue-as-new that carries the compact attempt
   * counters. Recorded with the prefix {@code plan-hash-}.
   */
  @Test
  void packedCampaignHashedByALocalActivityThroughContinueAsNew(@TempDir Path tmp)
      throws Exception {
    Path repo = DockerExtension.repoRoot();
    LoadedCampaign loaded =
        CampaignLoader.parse(
            "campaign: plan-hash\ndefaults: {image: 'fake:1', timeout: 10m, gpus: [0]}\n"
                + "experiments: [{name: b, retries: 1}, {name: a}]\n",
            "plan-hash.yaml");
    WorkflowClient client = temporal.client();
    ScriptedRunBackend containers =
        new ScriptedRunBackend(System::currentTimeMillis).on("b.c1", 1, Behaviour.EXIT_NON_ZERO);
    HostActivities activities =
        scriptedHost(tmp, repo.resolve("examples/inventories/sim-4gpu-idle"), containers);
    try (WorkerHost worker = new WorkerHost(client, HOST, activities, 2).start()) {
      CampaignWorkflow campaign = campaignStub(client, "plan-hash");
      WorkflowExecution first =
          WorkflowClient.start(
              campaign::run,
              CampaignInput.packed(loaded.campaign(), loaded.plan().hash(), List.of(HOST), 1));
      CampaignProgress end = WorkflowStub.fromTyped(campaign).getResult(CampaignProgress.class);
      assertEquals(List.of(2L, 0L), List.of(end.completed(), end.failed()));

      List<WorkflowExecutionHistory> histories = histories(client, first);
      List<WorkflowExecutionHistory> executions =
          histories.stream()
              .filter(h -> h.getWorkflowExecution().getWorkflowId().equals("campaign/plan-hash"))
              .toList();
      assertEquals(2, executions.size(), "one continue-as-new");
      for (WorkflowExecutionHistory h : executions) {
        assertEquals(
            2,
            h.getEvents().stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED)
                .count(),
            "a version marker and the plan hash's marker in each execution");
      }
      record(repo, "plan-hash", histories);
    }
  }
}
