package org.llenergymeasure.campaign.workflows.campaign;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.workflows.LlemDataConverter;
import org.llenergymeasure.campaign.workflows.TaskQueues;
import org.llenergymeasure.campaign.workflows.registry.HostRegistryWorkflowImpl;
import org.llenergymeasure.campaign.workflows.run.ExperimentWorkflowImpl;
import org.llenergymeasure.campaign.workflows.schedule.ScheduledCampaignWorkflowImpl;

/**
 * Replays every recorded history under {@code src/test/resources/histories/} (recorded on a real
 * server by the worker module's {@code CampaignHistoryRecorderTest}) against the current workflow
 * code. A change that alters the command sequence of a running campaign fails here; guard it with
 * {@code Workflow.getVersion} and record a history of the new path beside these
 * (docs/upgrading.md).
 */
class CampaignReplayTest {

  private static List<Path> recorded() throws IOException, URISyntaxException {
    Path dir = Path.of(CampaignReplayTest.class.getResource("/histories").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  @Test
  void everyRecordedHistoryReplaysOnTheCurrentCode() throws Exception {
    List<Path> histories = recorded();
    assertFalse(histories.isEmpty(), "no recorded histories");
    assertTrue(
        histories.stream()
            .anyMatch(p -> p.getFileName().toString().contains("campaign_replay-demo.json")),
        "the campaign's own executions are among them: " + histories);
    try (TestWorkflowEnvironment env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setDataConverter(LlemDataConverter.create())
                        .build())
                .build())) {
      // A cold first replay on a loaded machine can hold the workflow thread past the SDK's 1 s
      // deadlock detector while classes load; that is not what this test is about (determinism
      // is), so give it room.
      Worker worker =
          env.newWorker(
              TaskQueues.CAMPAIGNS,
              WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(15_000).build());
      worker.registerWorkflowImplementationTypes(
          CampaignWorkflowImpl.class, ExperimentWorkflowImpl.class, HostRegistryWorkflowImpl.class);
      worker.registerWorkflowImplementationTypes(ScheduledCampaignWorkflowImpl.class);
      for (Path file : histories) {
        WorkflowExecutionHistory history =
            WorkflowExecutionHistory.fromJson(Files.readString(file));
        try {
          WorkflowReplayer.replayWorkflowExecution(history, worker);
        } catch (Exception | Error e) {
          throw new AssertionError(file.getFileName() + " no longer replays: " + e, e);
        }
      }
    }
  }
}
