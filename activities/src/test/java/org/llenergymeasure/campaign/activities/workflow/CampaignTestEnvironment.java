package org.llenergymeasure.campaign.activities.workflow;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.llenergymeasure.campaign.activities.GpuCare;
import org.llenergymeasure.campaign.activities.HostGpuCareActivities;
import org.llenergymeasure.campaign.activities.HostRunActivities;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.RunBackendByAttach;
import org.llenergymeasure.campaign.activities.gpu.cooldown.GpuCooldown;
import org.llenergymeasure.campaign.activities.gpu.cooldown.GpuOccupancy;
import org.llenergymeasure.campaign.activities.gpu.cooldown.GpuSensor;
import org.llenergymeasure.campaign.activities.gpu.inventory.FileInventorySource;
import org.llenergymeasure.campaign.activities.gpu.lease.GpuLeaseStore;
import org.llenergymeasure.campaign.activities.gpu.telemetry.GpuTelemetry;
import org.llenergymeasure.campaign.activities.gpu.telemetry.NoGpuTelemetry;
import org.llenergymeasure.campaign.activities.gpu.telemetry.ScriptedGpuTelemetry;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.ledger.ResultCollector;
import org.llenergymeasure.campaign.activities.ledger.RunLedger;
import org.llenergymeasure.campaign.activities.measurement.RunSampler;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.workflows.LlemDataConverter;
import org.llenergymeasure.campaign.workflows.LlemSearchAttributes;
import org.llenergymeasure.campaign.workflows.TaskQueues;
import org.llenergymeasure.campaign.workflows.campaign.CampaignInput;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflow;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflowImpl;
import org.llenergymeasure.campaign.workflows.plan.PlanActivitiesImpl;
import org.llenergymeasure.campaign.workflows.run.ExperimentWorkflowImpl;

/**
 * A time-skipping Temporal test server with the real workflows and the real host activities of one
 * simulated host (the 4-GPU inventory of examples/), real leases and a real ledger in temp folders;
 * only the containers are scripted ({@link ScriptedRunBackend}) and the GPU thermometer (every
 * cooldown reads hot once, then cool).
 */
final class CampaignTestEnvironment implements AutoCloseable {

  static final String HOST = "sim";
  static final int HOT_C = 60;
  static final int COOL_C = 40;

  final TestWorkflowEnvironment env;
  final WorkflowClient client;
  final ScriptedRunBackend containers;
  final GpuLeaseStore leases;
  final Path results;
  final Path inventory;

  /** Thermometer reads; each cooldown reads hot first, then cool. */
  final AtomicInteger thermometerReads = new AtomicInteger();

  CampaignTestEnvironment(Path tmp) throws IOException {
    this(tmp, null);
  }

  /**
   * @param gpus the host's GPU readings during runs (scripted NVML), or null for a host that has
   *     none (as every simulated host)
   */
  CampaignTestEnvironment(Path tmp, ScriptedGpuTelemetry gpus) throws IOException {
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
    client = env.getWorkflowClient();
    results = Files.createDirectories(tmp.resolve("results"));
    inventory = DockerExtension.repoRoot().resolve("examples/inventories/sim-4gpu-idle");
    containers = new ScriptedRunBackend(env::currentTimeMillis);
    leases = new GpuLeaseStore(tmp.resolve("leases.json"), HOST, Clock.systemUTC());
    HostSettings settings = new HostSettings(HOST, results, inventory, Map.of(), null);
    // Cooldown polls take no real time: the sleeper advances a fake clock.
    AtomicLong fakeNow = new AtomicLong(0);
    Clock fakeClock =
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return Instant.ofEpochMilli(fakeNow.get());
          }
        };
    GpuCooldown cooldown =
        new GpuCooldown(
            GpuSensor.of(
                () -> {
                  int read = thermometerReads.incrementAndGet();
                  int t = read % 2 == 1 ? HOT_C : COOL_C;
                  return Optional.of(
                      Map.of(
                          "GPU-0a1b2c3d-1111-4e5f-8a9b-000000000000", t,
                          "GPU-1b2c3d4e-2222-4f60-9bac-111111111111", t,
                          "GPU-2c3d4e5f-3333-4071-acbd-222222222222", t,
                          "GPU-3d4e5f60-4444-4182-bdce-333333333333", t));
                }),
            GpuOccupancy.unknown(),
            Duration.ofSeconds(5),
            fakeClock,
            d -> fakeNow.addAndGet(d.toMillis()));
    GpuTelemetry telemetry =
        gpus != null ? gpus : new NoGpuTelemetry("simulated host (--inventory): no NVML");
    // An hour between readings: a run is read at its start and end only, so energies are exact.
    RunSampler sampler =
        gpus != null
            ? new RunSampler(gpus, Duration.ofHours(1), gpus.clock())
            : new RunSampler(telemetry, Duration.ofSeconds(1), Clock.systemUTC());
    GpuCare plain = GpuCare.withoutHygiene(settings, new FileInventorySource(inventory, HOST));
    GpuCare care = new GpuCare(cooldown, plain.idleSampler(), null, null, plain.clock());
    HostRunActivities activities =
        new HostRunActivities(
            settings,
            new FileInventorySource(inventory, HOST),
            leases,
            RunBackendByAttach.only(containers),
            new ResultCollector(containers, telemetry),
            care,
            sampler);

    Worker workflows = env.newWorker(TaskQueues.CAMPAIGNS);
    workflows.registerWorkflowImplementationTypes(
        CampaignWorkflowImpl.class, ExperimentWorkflowImpl.class, Ticker.Impl.class);
    workflows.registerActivitiesImplementations(new PlanActivitiesImpl());
    Worker host =
        env.newWorker(
            TaskQueues.host(HOST),
            // Cancellation reaches an activity only with a heartbeat; don't let them be throttled.
            WorkerOptions.newBuilder()
                .setMaxHeartbeatThrottleInterval(Duration.ofMillis(50))
                .build());
    host.registerActivitiesImplementations(activities, new HostGpuCareActivities(settings, care));
    env.start();
    WorkflowClient.start(
        client.newWorkflowStub(
                Ticker.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId("ticker")
                    .setTaskQueue(TaskQueues.CAMPAIGNS)
                    .build())
            ::tick);
  }

  static LoadedCampaign campaign(String yaml) throws Exception {
    return CampaignLoader.parse(yaml, "test.yaml");
  }

  CampaignWorkflow start(LoadedCampaign loaded, Integer continueAsNewAfterRuns) {
    CampaignWorkflow stub =
        client.newWorkflowStub(
            CampaignWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(CampaignWorkflow.workflowId(loaded.campaign().name()))
                .setTaskQueue(TaskQueues.CAMPAIGNS)
                .build());
    WorkflowClient.start(
        stub::run,
        new CampaignInput(
            loaded.campaign(), loaded.plan().hash(), List.of(HOST), null, continueAsNewAfterRuns));
    return stub;
  }

  List<LedgerEntry> ledger(String campaign) {
    return RunLedger.of(results, campaign).read();
  }

  @Override
  public void close() {
    env.close();
  }
}
