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
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.activities.workflow.ScriptedRunBackend;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.worker.host.HostDirectory;
import org.llenergymeasure.campaign.worker.host.WorkerHost;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;
import org.llenergymeasure.campaign.workflows.campaign.CampaignInput;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflow;
import org.llenergymeasure.campaign.workflows.registry.HostRecord;
import org.llenergymeasure.campaign.workflows.registry.RegisteredGpu;

/**
 * A campaign with {@code hosts: any} on a real {@code temporal server start-dev}: its runs are
 * placed from a scripted host directory (empty at the first read, so the first run waits once, then
 * the simulated 4-GPU host) and routed on that host's real router, which honours the GPU model.
 * Recorded with the prefix {@code placement-} (see CampaignHistoryRecorderTest for how).
 */
@Tag("temporal")
class PlacementHistoryRecorderTest {

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  /** The simulated inventory's GPUs, as its worker would register them. */
  static HostRecord simHost(long nowMs) {
    List<RegisteredGpu> gpus = new ArrayList<>();
    String[] uuids = {
      "GPU-0a1b2c3d-1111-4e5f-8a9b-000000000000",
      "GPU-1b2c3d4e-2222-4f60-9bac-111111111111",
      "GPU-2c3d4e5f-3333-4071-acbd-222222222222",
      "GPU-3d4e5f60-4444-4182-bdce-333333333333"
    };
    for (int i = 0; i < uuids.length; i++) {
      gpus.add(new RegisteredGpu(uuids[i], i, "NVIDIA H100 80GB HBM3", 81_559L, List.of()));
    }
    return new HostRecord(HOST, gpus, null, "test", List.of(), List.of(), 0L, nowMs, false);
  }

  @Test
  void runsArePlacedFromTheDirectoryAfterWaitingForAHostToRegister(@TempDir Path tmp)
      throws Exception {
    Path repo = DockerExtension.repoRoot();
    LoadedCampaign loaded =
        CampaignLoader.parse(
            "campaign: placement\nhosts: any\ndefaults: {image: 'fake:1', timeout: 10m}\n"
                + "experiments:\n"
                + "  - {name: a, gpus: {count: 2, model: '*H100*'}}\n"
                + "  - {name: b, gpus: {count: 1}}\n",
            "placement.yaml");
    AtomicInteger reads = new AtomicInteger();
    HostDirectory directory =
        new HostDirectory() {
          @Override
          public List<HostRecord> hosts() {
            return reads.getAndIncrement() == 0 ? List.of() : List.of(simHost(nowMs()));
          }

          @Override
          public long nowMs() {
            return System.currentTimeMillis();
          }
        };
    WorkflowClient client = temporal.client();
    ScriptedRunBackend containers = new ScriptedRunBackend(System::currentTimeMillis);
    try (WorkerHost worker =
        new WorkerHost(
                client,
                HOST,
                scriptedHost(tmp, repo.resolve("examples/inventories/sim-4gpu-idle"), containers),
                2,
                directory)
            .start()) {
      CampaignWorkflow campaign = campaignStub(client, "placement");
      WorkflowExecution first =
          WorkflowClient.start(
              campaign::run,
              new CampaignInput(
                  loaded.campaign(), loaded.plan().hash(), List.of(HOST), null, null));
      CampaignProgress end = WorkflowStub.fromTyped(campaign).getResult(CampaignProgress.class);
      assertEquals(2L, end.completed(), end.toString());

      List<WorkflowExecutionHistory> histories = histories(client, first);
      WorkflowExecutionHistory a =
          histories.stream()
              .filter(h -> h.getWorkflowExecution().getWorkflowId().endsWith("/a.c1"))
              .findFirst()
              .orElseThrow();
      long markers =
          a.getEvents().stream()
              .filter(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED)
              .count();
      long timers =
          a.getEvents().stream()
              .filter(e -> e.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED)
              .count();
      // The version marker, two placements (none registered; the host), one wait between them.
      assertEquals(3, markers, "markers of a.c1");
      assertEquals(1, timers, "a.c1 waited once");
      assertTrue(reads.get() >= 3, "each run read the directory: " + reads.get());
      record(repo, "placement", histories);
    }
  }
}
