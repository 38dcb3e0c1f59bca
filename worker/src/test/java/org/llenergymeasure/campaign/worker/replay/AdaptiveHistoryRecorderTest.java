package org.llenergymeasure.campaign.worker.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.llenergymeasure.campaign.worker.replay.RecorderKit.HOST;
import static org.llenergymeasure.campaign.worker.replay.RecorderKit.campaignStub;
import static org.llenergymeasure.campaign.worker.replay.RecorderKit.histories;
import static org.llenergymeasure.campaign.worker.replay.RecorderKit.record;
import static org.llenergymeasure.campaign.worker.replay.RecorderKit.scriptedHost;

import io.temporal.api.common.v1.WorkflowExecution;
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
import org.llenergymeasure.campaign.worker.host.HostActivities;
import org.llenergymeasure.campaign.worker.host.WorkerHost;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;
import org.llenergymeasure.campaign.workflows.LlemDataConverter;
import org.llenergymeasure.campaign.workflows.campaign.CampaignInput;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.CampaignStatus;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflow;
import org.llenergymeasure.campaign.workflows.run.RunInput;

/**
 * Adaptive cycles on a real {@code temporal server start-dev} (scripted containers, real everything
 * else): min 2, max 3, with energies that spread far beyond ±5 %, so both experiments get a third
 * cycle that the plan gains while the campaign runs, and a continue-as-new after that carries the
 * grown plan's compact form. With {@code -Dllem.recordHistories=true} its histories are written to
 * {@code workflows/src/test/resources/histories/} with the prefix {@code adaptive-cycles-}, for
 * {@code CampaignReplayTest} (the command is in {@link CampaignHistoryRecorderTest}'s comment, with
 * {@code -Dtest=AdaptiveHistoryRecorderTest}).
 */
@Tag("temporal")
class AdaptiveHistoryRecorderTest {

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  @Test
  void theCampaignPlansAThirdCycleForExperimentsShortOfTheTarget(@TempDir Path tmp)
      throws Exception {
    Path repo = DockerExtension.repoRoot();
    Path inventory = repo.resolve("examples/inventories/sim-4gpu-idle");
    LoadedCampaign loaded =
        CampaignLoader.parse(
            String.join(
                "\n",
                "campaign: adaptive-cycles",
                "defaults: {image: 'fake:1', timeout: 10m}",
                "experiments:",
                "  - name: a",
                "    gpus: [0]",
                "  - name: b",
                "    gpus: [1]",
                "execution:",
                "  cycles:",
                "    min: 2",
                "    max: 3",
                "    until: {metric: energyJ, relativeHalfWidth: 5%, confidence: 0.95}",
                ""),
            "adaptive-cycles.yaml");
    WorkflowClient client = temporal.client();
    ScriptedRunBackend containers = new ScriptedRunBackend(System::currentTimeMillis);
    for (String e : List.of("a", "b")) {
      containers
          .result(e + ".c1", 1, "{\"total_energy_j\": 100, \"total_tokens\": 1000}")
          .result(e + ".c2", 1, "{\"total_energy_j\": 200, \"total_tokens\": 1000}")
          .result(e + ".c3", 1, "{\"total_energy_j\": 150, \"total_tokens\": 1000}");
    }
    HostActivities activities = scriptedHost(tmp, inventory, containers);
    try (WorkerHost worker = new WorkerHost(client, HOST, activities, 2).start()) {
      CampaignWorkflow campaign = campaignStub(client, "adaptive-cycles");
      WorkflowExecution first =
          WorkflowClient.start(
              campaign::run,
              new CampaignInput(loaded.campaign(), loaded.plan().hash(), List.of(HOST), null, 2));
      CampaignProgress end = WorkflowStub.fromTyped(campaign).getResult(CampaignProgress.class);
      assertEquals(CampaignStatus.COMPLETED, end.state());
      assertEquals(List.of(6L, 6L, 6L), List.of(end.planned(), end.completed(), end.plannedMax()));
      assertEquals(
          List.of(3, 3), end.convergence().stream().map(c -> c.cycles()).toList(), "max reached");
      // The runs' own values reached the campaign: 100, 200 and 150 J.
      assertEquals(
          List.of(3, 3), end.convergence().stream().map(c -> c.n()).toList(), "values counted");
      for (var c : end.convergence()) {
        assertEquals(150.0, c.mean(), 1e-9, c.toString());
        assertEquals(false, c.converged(), c.toString());
      }

      List<WorkflowExecutionHistory> histories = histories(client, first);
      // After 2 runs (cycle 1) and after 2 more, once cycle 3 was planned: the third execution
      // rebuilds the grown plan from the compact state.
      assertEquals(
          3,
          histories.stream()
              .filter(
                  h -> h.getWorkflowExecution().getWorkflowId().equals("campaign/adaptive-cycles"))
              .count(),
          "two continue-as-new");
      // Every run was asked for the metric's value.
      for (WorkflowExecutionHistory h : histories) {
        if (h.getWorkflowExecution().getWorkflowId().startsWith("campaign/adaptive-cycles/")) {
          RunInput input =
              LlemDataConverter.create()
                  .fromPayloads(
                      0,
                      java.util.Optional.of(
                          h.getEvents()
                              .get(0)
                              .getWorkflowExecutionStartedEventAttributes()
                              .getInput()),
                      RunInput.class,
                      RunInput.class);
          assertEquals("energyJ", input.metric());
        }
      }
      record(repo, "adaptive-cycles", histories);
    }
  }
}
