package org.llenergymeasure.campaign.worker.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.llenergymeasure.campaign.worker.replay.RecorderKit.HOST;
import static org.llenergymeasure.campaign.worker.replay.RecorderKit.histories;
import static org.llenergymeasure.campaign.worker.replay.RecorderKit.record;
import static org.llenergymeasure.campaign.worker.replay.RecorderKit.scriptedHost;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.common.WorkflowExecutionHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.activities.workflow.ScriptedRunBackend;
import org.llenergymeasure.campaign.worker.host.WorkerHost;
import org.llenergymeasure.campaign.worker.schedule.CampaignSchedules;
import org.llenergymeasure.campaign.worker.schedule.ScheduleFile;
import org.llenergymeasure.campaign.worker.schedule.ScheduleTiming;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;
import org.llenergymeasure.campaign.workflows.schedule.FiringResult;

/**
 * One firing of a real Temporal Schedule (triggered; its cron is far away) on a real {@code
 * temporal server start-dev} with scripted containers: the firing's workflow, the campaign it
 * starts as its child and that campaign's runs. With {@code -Dllem.recordHistories=true} the
 * histories are written with the prefix {@code scheduled-campaign-} for {@code CampaignReplayTest}
 * (the command is in {@link CampaignHistoryRecorderTest}'s comment, with {@code
 * -Dtest=ScheduleHistoryRecorderTest}).
 */
@Tag("temporal")
class ScheduleHistoryRecorderTest {

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  @Test
  void aFiringRunsTheFrozenFileAsACampaignOfItsOwnName(@TempDir Path tmp) throws Exception {
    Path repo = DockerExtension.repoRoot();
    Path inventory = repo.resolve("examples/inventories/sim-4gpu-idle");
    Path file = tmp.resolve("c.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "campaign: scheduled-file",
            "defaults: {image: 'fake:1', timeout: 10m}",
            "experiments:",
            "  - {name: a, gpus: [0]}",
            "  - {name: b, gpus: [1]}",
            ""));
    WorkflowClient client = temporal.client();
    ScriptedRunBackend containers = new ScriptedRunBackend(System::currentTimeMillis);
    try (WorkerHost worker =
        new WorkerHost(client, HOST, scriptedHost(tmp, inventory, containers), 2).start()) {
      CampaignSchedules schedules = new CampaignSchedules(client, temporal.address());
      schedules.create(
          "rec",
          ScheduleFile.load("rec", file, HOST).input(),
          ScheduleTiming.of("0 2 1 1 *", null, null));
      schedules.trigger("rec");

      WorkflowExecutionMetadata firing = null;
      for (int i = 0; i < 600 && firing == null; i++) {
        firing =
            client
                .listExecutions("WorkflowType = 'ScheduledCampaignWorkflow'")
                .filter(e -> e.getExecution().getWorkflowId().startsWith("schedule/rec-"))
                .findFirst()
                .orElse(null);
        Thread.sleep(100);
      }
      assertTrue(firing != null, "the trigger started no firing");
      FiringResult result =
          client
              .newUntypedWorkflowStub(firing.getExecution().getWorkflowId())
              .getResult(FiringResult.class);
      assertTrue(result.campaign().matches("rec-[0-9]{8}t[0-9]{6}z"), result.campaign());
      assertEquals("completed", result.state());

      WorkflowExecutionHistory launcher =
          client.fetchHistory(
              firing.getExecution().getWorkflowId(), firing.getExecution().getRunId());
      WorkflowExecution campaign = null;
      for (HistoryEvent e : launcher.getEvents()) {
        if (e.getEventType() == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED) {
          campaign = e.getChildWorkflowExecutionStartedEventAttributes().getWorkflowExecution();
        }
      }
      assertTrue(campaign != null, "no campaign child");
      assertEquals("campaign/" + result.campaign(), campaign.getWorkflowId());
      List<WorkflowExecutionHistory> all = new ArrayList<>();
      all.add(launcher);
      all.addAll(histories(client, campaign));
      assertEquals(4, all.size(), "the firing, its campaign and the campaign's two runs");
      schedules.delete("rec");
      record(repo, "scheduled-campaign", all);
    }
  }
}
