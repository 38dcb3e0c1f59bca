package org.llenergymeasure.campaign.worker.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
import org.llenergymeasure.campaign.workflows.campaign.AmendRequest;
import org.llenergymeasure.campaign.workflows.campaign.CampaignInput;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.CampaignStatus;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflow;
import org.llenergymeasure.campaign.workflows.plan.CampaignPack;

/**
 * An amended campaign on a real {@code temporal server start-dev} (scripted containers, real
 * everything else): a, b, c over three cycles; while b.c2 runs, the file loses b, changes c's
 * command and gains d; continue-as-new after every 2 runs, so later executions rebuild the amended
 * plan from the carried amendment. With {@code -Dllem.recordHistories=true} its histories are
 * written to {@code workflows/src/test/resources/histories/} with the prefix {@code
 * campaign-amend-}, for {@code CampaignReplayTest} (the command is in {@link
 * CampaignHistoryRecorderTest}'s comment, with {@code -Dtest=AmendHistoryRecorderTest}).
 */
@Tag("temporal")
class AmendHistoryRecorderTest {

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  static String file(String... experiments) {
    return String.join(
        "\n",
        "campaign: campaign-amend",
        "defaults: {image: 'fake:1', timeout: 10m}",
        "experiments:",
        String.join("\n", experiments),
        "execution: {cycles: 3}",
        "");
  }

  @Test
  void anAmendedCampaignRunsItsNewPlanAcrossContinueAsNew(@TempDir Path tmp) throws Exception {
    Path repo = DockerExtension.repoRoot();
    Path inventory = repo.resolve("examples/inventories/sim-4gpu-idle");
    LoadedCampaign v1 =
        CampaignLoader.parse(
            file(
                "  - {name: a, gpus: [0]}",
                "  - {name: b, gpus: [1]}",
                "  - {name: c, gpus: [2], command: [run, old]}"),
            "v1.yaml");
    LoadedCampaign v2 =
        CampaignLoader.parse(
            file(
                "  - {name: a, gpus: [0]}",
                "  - {name: c, gpus: [2], command: [run, new]}",
                "  - {name: d, gpus: [3]}"),
            "v2.yaml");
    WorkflowClient client = temporal.client();
    ScriptedRunBackend containers = new ScriptedRunBackend(System::currentTimeMillis);
    containers.step("b.c2", 1, "held for the amend");
    HostActivities activities = scriptedHost(tmp, inventory, containers);
    try (WorkerHost worker = new WorkerHost(client, HOST, activities, 2).start()) {
      CampaignWorkflow campaign = campaignStub(client, "campaign-amend");
      WorkflowExecution first =
          WorkflowClient.start(
              campaign::run,
              CampaignInput.packed(v1.campaign(), v1.plan().hash(), List.of(HOST), 2));
      containers.waitUntilAwaiting("b.c2", 1);
      String answer =
          campaign.amend(new AmendRequest(CampaignPack.pack(v2.campaign()), v2.plan().hash()));
      assertTrue(answer.contains("plan v2"), answer);
      containers.release("b.c2", 1);
      CampaignProgress end = WorkflowStub.fromTyped(campaign).getResult(CampaignProgress.class);
      assertEquals(CampaignStatus.COMPLETED, end.state());
      assertEquals(List.of(10L, 9L, 1L), List.of(end.planned(), end.completed(), end.skipped()));
      assertEquals(List.of(v1.plan().hash(), v2.plan().hash()), end.planHashes());
      assertEquals(
          List.of("a.c1", "b.c1", "c.c1", "a.c2", "b.c2", "c@v2.c2", "a.c3", "c@v2.c3", "d.c3"),
          containers.events("launch").stream().map(ScriptedRunBackend.Event::runId).toList());

      List<WorkflowExecutionHistory> histories = histories(client, first);
      assertTrue(
          histories.stream()
                  .filter(
                      h ->
                          h.getWorkflowExecution()
                              .getWorkflowId()
                              .equals("campaign/campaign-amend"))
                  .count()
              >= 4,
          "continued as new before and after the amend");
      record(repo, "campaign-amend", histories);
    }
  }
}
