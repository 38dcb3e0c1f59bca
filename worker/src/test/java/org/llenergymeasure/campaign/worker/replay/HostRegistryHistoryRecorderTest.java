package org.llenergymeasure.campaign.worker.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.llenergymeasure.campaign.worker.replay.RecorderKit.record;

import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.worker.host.HostRegistryClient;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;
import org.llenergymeasure.campaign.workflows.TaskQueues;
import org.llenergymeasure.campaign.workflows.registry.HostRecord;
import org.llenergymeasure.campaign.workflows.registry.HostRegistryWorkflow;
import org.llenergymeasure.campaign.workflows.registry.HostRegistryWorkflowImpl;
import org.llenergymeasure.campaign.workflows.registry.HostReport;
import org.llenergymeasure.campaign.workflows.registry.RegisteredGpu;
import org.llenergymeasure.campaign.workflows.registry.RegistryState;

/**
 * The host registry's history on a real {@code temporal server start-dev}: reports (the first by
 * update-with-start, as workers send them), a drain, a refused drain, an undrain, a forget and a
 * continue-as-new at a lowered bound. With {@code -Dllem.recordHistories=true} both runs are
 * recorded with the prefix {@code host-registry-} (see CampaignHistoryRecorderTest for how).
 */
@Tag("temporal")
class HostRegistryHistoryRecorderTest {

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  private static HostReport report(String host, List<String> leased) {
    return new HostReport(
        host,
        List.of(
            new RegisteredGpu("GPU-" + host + "-0", 0, "NVIDIA H100 80GB HBM3", 81_559L, null),
            new RegisteredGpu(
                "GPU-" + host + "-1", 1, "NVIDIA A100-SXM4-80GB", 81_920L, List.of("MIG-1"))),
        null,
        "0.1.0",
        leased,
        List.of());
  }

  @Test
  void registryHistoryWithUpdatesAndContinueAsNew() throws Exception {
    WorkflowClient client = temporal.client();
    WorkerFactory factory = WorkerFactory.newInstance(client);
    Worker worker = factory.newWorker(TaskQueues.CAMPAIGNS);
    worker.registerWorkflowImplementationTypes(HostRegistryWorkflowImpl.class);
    factory.start();
    try {
      // Started with a low bound so that the recorded first run ends in continue-as-new.
      HostRegistryWorkflow starter =
          client.newWorkflowStub(
              HostRegistryWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(HostRegistryWorkflow.WORKFLOW_ID)
                  .setTaskQueue(TaskQueues.CAMPAIGNS)
                  .build());
      String firstRun =
          WorkflowClient.start(starter::run, new RegistryState(List.of(), 40)).getRunId();
      HostRegistryClient registry = new HostRegistryClient(client);
      registry.report(report("h1", List.of()));
      registry.report(report("h2", List.of("GPU-h2-0")));
      assertTrue(registry.drain("h1").draining());
      assertThrows(WorkflowUpdateException.class, () -> registry.drain("nosuch"));
      assertTrue(registry.report(report("h1", List.of())).draining());
      registry.undrain("h1");
      registry.forget("h1");
      String lastRun = firstRun;
      for (int i = 0; i < 40 && lastRun.equals(firstRun); i++) {
        registry.report(report("h2", List.of(i % 2 == 0 ? "GPU-h2-0" : "GPU-h2-1")));
        lastRun =
            client
                .newUntypedWorkflowStub(HostRegistryWorkflow.WORKFLOW_ID)
                .describe()
                .getExecution()
                .getRunId();
      }
      registry.report(report("h3", List.of()));
      List<HostRecord> hosts = registry.hosts();
      assertEquals(List.of("h2", "h3"), hosts.stream().map(HostRecord::hostId).toList());

      WorkflowExecutionHistory first =
          client.fetchHistory(HostRegistryWorkflow.WORKFLOW_ID, firstRun);
      WorkflowExecutionHistory second =
          client.fetchHistory(HostRegistryWorkflow.WORKFLOW_ID, lastRun);
      assertEquals(
          EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
          first.getLastEvent().getEventType(),
          "the first run continued as new");
      assertTrue(
          first.getEvents().size() <= 60, "bounded: " + first.getEvents().size() + " events");
      assertTrue(
          first.getEvents().stream().noneMatch(e -> e.toString().contains("nosuch")),
          "a refused drain never enters the history");
      record(DockerExtension.repoRoot(), "host-registry", List.of(first, second));
    } finally {
      factory.shutdown();
      factory.awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
