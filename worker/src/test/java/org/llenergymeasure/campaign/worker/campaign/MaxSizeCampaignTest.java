package org.llenergymeasure.campaign.worker.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;
import org.llenergymeasure.campaign.workflows.TaskQueues;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflow;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflowImpl;
import org.llenergymeasure.campaign.workflows.plan.PlanActivitiesImpl;
import org.llenergymeasure.campaign.workflows.run.ExperimentWorkflowImpl;

/**
 * The largest campaign the file format allows, 100,000 runs each its own experiment (the heaviest
 * for the workflow: every experiment is unpacked), started on a real dev server as {@code run} does
 * and run by the real workflows with the SDK's default deadlock detector (1 s). No host worker
 * polls the host's queue, so the first run's child waits at its first step: what is checked is the
 * start (the server's payload limits) and the campaign's first workflow tasks.
 *
 * <p>Before the campaign was packed, the start request (about 70 MB) was refused by the server
 * (RESOURCE_EXHAUSTED); before the plan hash moved to a local activity, the first task hashed about
 * 70 MB in the workflow thread.
 */
@Tag("temporal")
class MaxSizeCampaignTest {

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  @Test
  void aCampaignOfOneHundredThousandExperimentsStartsAndStartsItsFirstRun() throws Exception {
    LoadedCampaign loaded = CampaignLoader.parse(grid(), "max-size.yaml");
    assertEquals(100_000, loaded.plan().runs().size());
    WorkflowClient client = temporal.client();
    WorkerFactory factory = WorkerFactory.newInstance(client);
    Worker worker =
        factory.newWorker(
            TaskQueues.CAMPAIGNS,
            WorkerOptions.newBuilder().setLocalActivityWorkerOnly(true).build());
    worker.registerWorkflowImplementationTypes(
        CampaignWorkflowImpl.class, ExperimentWorkflowImpl.class);
    worker.registerActivitiesImplementations(new PlanActivitiesImpl());
    factory.start();
    try {
      CampaignStarter.Started started =
          new CampaignStarter(client).startOrAttach(loaded, List.of("max-size-no-worker"));
      assertTrue(started.started());

      List<HistoryEvent> events = waitForFirstChild(client, started.workflowId());

      List<HistoryEvent> failed =
          events.stream()
              .filter(
                  e ->
                      e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED
                          || e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT)
              .toList();
      assertTrue(failed.isEmpty(), "no workflow task failed or timed out: " + failed);
      assertTrue(
          events.stream().anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED),
          "the plan hash came from the local activity (a marker)");
      CampaignProgress progress =
          client.newWorkflowStub(CampaignWorkflow.class, started.workflowId()).progress();
      assertEquals(100_000, progress.planned());
      assertEquals(1, progress.running().size(), "the first run is in flight");
    } finally {
      client.newUntypedWorkflowStub("campaign/max-size").terminate("test over");
      factory.shutdownNow();
    }
  }

  private static List<HistoryEvent> waitForFirstChild(WorkflowClient client, String workflowId)
      throws InterruptedException {
    long deadline = System.nanoTime() + 180_000_000_000L;
    List<HistoryEvent> events = List.of();
    while (System.nanoTime() < deadline) {
      WorkflowExecutionHistory history = client.fetchHistory(workflowId);
      events = history.getEvents();
      if (events.stream()
          .anyMatch(
              e -> e.getEventType() == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED)) {
        return events;
      }
      Thread.sleep(500);
    }
    assertFalse(events.isEmpty(), "no history for " + workflowId);
    throw new AssertionError(
        "the campaign did not start its first run within 180 s: " + events.get(events.size() - 1));
  }

  /** 10 × 10 × 1,000 experiments, one cycle. */
  static String grid() {
    StringBuilder c = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      c.append(i == 0 ? "" : ", ").append(i);
    }
    return """
        campaign: max-size
        defaults:
          image: "registry.example.org/llenergymeasure/pytorch:1.4"
          gpus: [0]
        grid:
          name: "llama-3.1-8b-a{a}-b{b}-c{c}"
          base: {command: [llem, experiment, --a, "{a}", --b, "{b}", --c, "{c}"]}
          axes:
            a: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
            b: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
            c: [%s]
        """
        .formatted(c);
  }
}
