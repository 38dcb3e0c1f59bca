package org.llenergymeasure.campaign.workflows.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.workflows.LlemDataConverter;
import org.llenergymeasure.campaign.workflows.TaskQueues;

/** The registry workflow on the time-skipping test server: its updates, query and history bound. */
class HostRegistryWorkflowTest {

  private TestWorkflowEnvironment env;
  private WorkflowClient client;

  @BeforeEach
  void start() {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setDataConverter(LlemDataConverter.create())
                        .build())
                .build());
    Worker worker = env.newWorker(TaskQueues.CAMPAIGNS);
    worker.registerWorkflowImplementationTypes(HostRegistryWorkflowImpl.class);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private HostRegistryWorkflow registry(RegistryState state) {
    HostRegistryWorkflow stub =
        client.newWorkflowStub(
            HostRegistryWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(HostRegistryWorkflow.WORKFLOW_ID)
                .setTaskQueue(TaskQueues.CAMPAIGNS)
                .build());
    WorkflowClient.start(stub::run, state);
    return client.newWorkflowStub(HostRegistryWorkflow.class, HostRegistryWorkflow.WORKFLOW_ID);
  }

  private static HostReport report(String host, List<String> leased, String... uuids) {
    List<RegisteredGpu> gpus = new java.util.ArrayList<>();
    for (int i = 0; i < uuids.length; i++) {
      gpus.add(
          new RegisteredGpu(
              uuids[i],
              i,
              "NVIDIA H100 80GB HBM3",
              81_559L,
              i == 1 ? List.of("MIG-" + i) : List.of()));
    }
    return new HostReport(host, gpus, "580.65", "0.1.0", leased, List.of());
  }

  private static HostRecord only(List<HostRecord> hosts, String id) {
    return hosts.stream().filter(h -> h.hostId().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void aReportRegistersThenRefreshesTheHostAndItGoesStaleAfterTwoSilentMinutes() {
    HostRegistryWorkflow registry = registry(RegistryState.empty());
    long before = env.currentTimeMillis();
    HostRecord first = registry.report(report("h1", List.of(), "GPU-a", "GPU-b"));
    assertFalse(first.draining());
    assertEquals(2, first.gpus().size());
    assertEquals(List.of("MIG-1"), first.gpus().get(1).migUuids());
    assertEquals("580.65", first.driver());
    assertTrue(first.lastSeenMs() >= before, first.toString());
    assertEquals(first.registeredAtMs(), first.lastSeenMs());

    env.sleep(Duration.ofSeconds(90));
    HostRecord second = registry.report(report("h1", List.of("GPU-a"), "GPU-a", "GPU-b"));
    assertEquals(first.registeredAtMs(), second.registeredAtMs(), "registered once");
    assertTrue(second.lastSeenMs() >= first.lastSeenMs() + 90_000, second.toString());
    assertEquals(List.of("GPU-a"), second.leasedUuids());
    HostRecord queried = only(registry.hosts(), "h1");
    assertEquals(second, queried);
    assertEquals(HostState.UP, queried.state(env.currentTimeMillis()));

    env.sleep(Duration.ofSeconds(121));
    HostRecord silent = only(registry.hosts(), "h1");
    assertEquals(HostState.STALE, silent.state(env.currentTimeMillis()));
    registry.report(report("h1", List.of(), "GPU-a", "GPU-b"));
    assertEquals(HostState.UP, only(registry.hosts(), "h1").state(env.currentTimeMillis()));
  }

  @Test
  void drainOfAnUnknownHostIsRejectedNamingTheKnownOnesAndNothingChanges() {
    HostRegistryWorkflow registry = registry(RegistryState.empty());
    registry.report(report("h2", List.of(), "GPU-c"));
    registry.report(report("h1", List.of(), "GPU-a"));
    WorkflowUpdateException refused =
        assertThrows(WorkflowUpdateException.class, () -> registry.drain("nosuch"));
    String why = String.valueOf(refused.getCause().getMessage());
    assertTrue(why.contains("no host 'nosuch' is registered; known hosts: h1, h2"), why);
    assertThrows(WorkflowUpdateException.class, () -> registry.undrain("nosuch"));
    assertTrue(registry.hosts().stream().noneMatch(HostRecord::draining));
    // A rejected update never enters the history.
    WorkflowExecution run = WorkflowStub.fromTyped(registry).getExecution();
    long rejectedInHistory =
        client.fetchHistory(run.getWorkflowId()).getEvents().stream()
            .filter(
                e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)
            .filter(e -> e.toString().contains("nosuch"))
            .count();
    assertEquals(0, rejectedInHistory);
  }

  @Test
  void drainMakesTheHostDrainingWhileLeasedThenDrainedAndUndrainLiftsIt() {
    HostRegistryWorkflow registry = registry(RegistryState.empty());
    registry.report(report("h1", List.of("GPU-a"), "GPU-a", "GPU-b"));
    HostRecord drained = registry.drain("h1");
    assertTrue(drained.draining());
    assertEquals(HostState.DRAINING, drained.state(env.currentTimeMillis()));
    // The worker's next report is answered with the drain, and keeps it.
    HostRecord answer = registry.report(report("h1", List.of(), "GPU-a", "GPU-b"));
    assertTrue(answer.draining(), "the report's answer tells the worker it drains");
    assertEquals(HostState.DRAINED, only(registry.hosts(), "h1").state(env.currentTimeMillis()));
    HostRecord back = registry.undrain("h1");
    assertFalse(back.draining());
    assertEquals(HostState.UP, back.state(env.currentTimeMillis()));
    assertFalse(registry.report(report("h1", List.of(), "GPU-a", "GPU-b")).draining());
    registry.forget("h1");
    assertEquals(List.of(), registry.hosts());
  }

  @Test
  void continueAsNewAtTheHistoryBoundKeepsEveryRecordAndItsDrain() {
    HostRegistryWorkflow registry = registry(new RegistryState(List.of(), 30));
    String firstRun = WorkflowStub.fromTyped(registry).getExecution().getRunId();
    registry.report(report("h1", List.of(), "GPU-a"));
    registry.report(report("h2", List.of("GPU-c"), "GPU-c"));
    registry.drain("h2");
    HostRecord h1Before = only(registry.hosts(), "h1");
    for (int i = 0; i < 12; i++) {
      registry.report(report("h2", List.of("GPU-c"), "GPU-c"));
    }
    String runNow =
        client
            .newUntypedWorkflowStub(HostRegistryWorkflow.WORKFLOW_ID)
            .describe()
            .getExecution()
            .getRunId();
    assertNotEquals(firstRun, runNow, "the registry continued as new");
    long firstRunEvents =
        client.fetchHistory(HostRegistryWorkflow.WORKFLOW_ID, firstRun).getEvents().size();
    assertTrue(firstRunEvents <= 40, "bounded history: " + firstRunEvents + " events");
    List<HostRecord> after = registry.hosts();
    assertEquals(List.of("h1", "h2"), after.stream().map(HostRecord::hostId).toList());
    assertEquals(h1Before, only(after, "h1"));
    assertTrue(only(after, "h2").draining(), "the drain survives continue-as-new");
    assertTrue(registry.report(report("h2", List.of(), "GPU-c")).draining());
  }
}
