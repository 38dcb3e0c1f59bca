package org.llenergymeasure.campaign.worker.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.llenergymeasure.campaign.worker.replay.RecorderKit.HOST;
import static org.llenergymeasure.campaign.worker.replay.RecorderKit.campaignStub;
import static org.llenergymeasure.campaign.worker.replay.RecorderKit.histories;
import static org.llenergymeasure.campaign.worker.replay.RecorderKit.record;
import static org.llenergymeasure.campaign.worker.replay.RecorderKit.scriptedHost;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.sdk.v1.WorkflowMetadata;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.activities.workflow.ScriptedRunBackend;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.worker.host.WorkerHost;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;
import org.llenergymeasure.campaign.workflows.campaign.CampaignInput;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflow;
import org.llenergymeasure.campaign.workflows.run.ExperimentWorkflow;

/**
 * A run's progress step on its page: its await heartbeats a step, the await signals it to the run's
 * workflow ({@code runStep}), whose current details (the Web UI's run page) then show it; on a real
 * {@code temporal server start-dev}. The run's history, with the signal in it, is recorded with the
 * prefix {@code run-step-} (see CampaignHistoryRecorderTest for how).
 */
@Tag("temporal")
class RunStepHistoryRecorderTest {

  private static final String STEP = "model: Loading model (gpt2)";

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  @Test
  void aRunsStepIsSignaledToItsWorkflowAndShownInItsCurrentDetails(@TempDir Path tmp)
      throws Exception {
    Path repo = DockerExtension.repoRoot();
    LoadedCampaign loaded =
        CampaignLoader.parse(
            "campaign: run-step\ndefaults: {image: 'fake:1', timeout: 10m}\n"
                + "experiments: [{name: a, gpus: [0]}]\n",
            "run-step.yaml");
    WorkflowClient client = temporal.client();
    ScriptedRunBackend containers =
        new ScriptedRunBackend(System::currentTimeMillis).step("a.c1", 1, STEP);
    try (WorkerHost worker =
        new WorkerHost(
                client,
                HOST,
                scriptedHost(tmp, repo.resolve("examples/inventories/sim-4gpu-idle"), containers),
                2)
            .start()) {
      CampaignWorkflow campaign = campaignStub(client, "run-step");
      WorkflowExecution first =
          WorkflowClient.start(
              campaign::run,
              new CampaignInput(
                  loaded.campaign(), loaded.plan().hash(), List.of(HOST), null, null));
      String runPage = ExperimentWorkflow.workflowId("run-step", "a.c1");
      String details = "";
      for (int i = 0; i < 600 && !details.contains("| step |"); i++) {
        Thread.sleep(100);
        details = currentDetails(client, runPage);
      }
      assertTrue(
          details.contains("| running on " + HOST + " GPU 0 | model: Loading model \\(gpt2\\) |"),
          details);
      containers.release("a.c1", 1);
      CampaignProgress end = WorkflowStub.fromTyped(campaign).getResult(CampaignProgress.class);
      assertEquals(1L, end.completed());
      assertTrue(
          !currentDetails(client, runPage).contains("| step |"),
          "the step goes with the running phase: " + currentDetails(client, runPage));

      List<WorkflowExecutionHistory> histories = histories(client, first);
      WorkflowExecutionHistory run =
          histories.stream()
              .filter(h -> h.getWorkflowExecution().getWorkflowId().equals(runPage))
              .findFirst()
              .orElseThrow();
      List<HistoryEvent> signals =
          run.getEvents().stream()
              .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
              .toList();
      assertEquals(1, signals.size(), "one step, one signal: " + signals);
      assertEquals(
          ExperimentWorkflow.RUN_STEP,
          signals.get(0).getWorkflowExecutionSignaledEventAttributes().getSignalName());
      record(repo, "run-step", histories);
    }
  }

  /** A workflow's current details, through the SDK's metadata query (as the Web UI reads them). */
  static String currentDetails(WorkflowClient client, String workflowId) {
    try {
      return client
          .newUntypedWorkflowStub(workflowId)
          .query("__temporal_workflow_metadata", WorkflowMetadata.class)
          .getCurrentDetails();
    } catch (RuntimeException notYet) {
      return "";
    }
  }
}
