package org.llenergymeasure.campaign.worker.replay;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.activities.GpuCare;
import org.llenergymeasure.campaign.activities.HostGpuCareActivities;
import org.llenergymeasure.campaign.activities.HostRunActivities;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.RunBackendByAttach;
import org.llenergymeasure.campaign.activities.TestHostRunActivities;
import org.llenergymeasure.campaign.activities.gpu.inventory.FileInventorySource;
import org.llenergymeasure.campaign.activities.gpu.lease.GpuLeaseStore;
import org.llenergymeasure.campaign.activities.gpu.telemetry.NoGpuTelemetry;
import org.llenergymeasure.campaign.activities.ledger.ResultCollector;
import org.llenergymeasure.campaign.activities.workflow.ScriptedRunBackend;
import org.llenergymeasure.campaign.worker.host.HostActivities;
import org.llenergymeasure.campaign.workflows.TaskQueues;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.CampaignStatus;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflow;

/** CampaignHistoryRecorderTest's helpers: its hosts, stubs, waits and history handling. */
final class RecorderKit {

  static final String HOST = "replay-host";

  private RecorderKit() {}

  /** The campaign's typed stub on the shared workflow queue. */
  static CampaignWorkflow campaignStub(WorkflowClient client, String campaign) {
    return client.newWorkflowStub(
        CampaignWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(CampaignWorkflow.workflowId(campaign))
            .setTaskQueue(TaskQueues.CAMPAIGNS)
            .build());
  }

  /**
   * Real host activities on the simulated inventory, with scripted containers and no GPU hygiene
   * (its cooldowns read the inventory's temperature.csv).
   */
  static HostActivities scriptedHost(Path tmp, Path inventory, ScriptedRunBackend containers) {
    HostSettings settings =
        new HostSettings(HOST, tmp.resolve("results"), inventory, Map.of(), null);
    FileInventorySource files = new FileInventorySource(inventory, HOST);
    GpuCare care = GpuCare.withoutHygiene(settings, files);
    return host(
        settings,
        TestHostRunActivities.of(
            settings,
            files,
            new GpuLeaseStore(tmp.resolve("leases.json"), HOST, Clock.systemUTC()),
            RunBackendByAttach.only(containers),
            new ResultCollector(containers, new NoGpuTelemetry("no GPU telemetry here")),
            care),
        care);
  }

  static HostActivities host(HostSettings settings, HostRunActivities runs, GpuCare care) {
    return new HostActivities(runs, new HostGpuCareActivities(settings, care));
  }

  static int indexOf(List<HistoryEvent> events, EventType type, int from) {
    for (int i = Math.max(0, from); i < events.size(); i++) {
      if (events.get(i).getEventType() == type) {
        return i;
      }
    }
    return -1;
  }

  /** How many activities of this type a history schedules. */
  static long scheduled(WorkflowExecutionHistory history, String activityType) {
    return history.getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .filter(
            e ->
                e.getActivityTaskScheduledEventAttributes()
                    .getActivityType()
                    .getName()
                    .equals(activityType))
        .count();
  }

  static void record(Path repo, String prefix, List<WorkflowExecutionHistory> histories)
      throws Exception {
    if (!Boolean.getBoolean("llem.recordHistories")) {
      return;
    }
    Path dir = repo.resolve("workflows/src/test/resources/histories");
    Files.createDirectories(dir);
    int i = 0;
    for (WorkflowExecutionHistory h : histories) {
      String name =
          String.format(
              "%s-%02d-%s.json",
              prefix,
              i++,
              h.getWorkflowExecution().getWorkflowId().replace('/', '_').replace(':', '-'));
      Files.writeString(dir.resolve(name), h.toJson(true));
    }
  }

  static CampaignProgress waitFor(CampaignWorkflow campaign, CampaignStatus state)
      throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      try {
        CampaignProgress p = campaign.progress();
        if (p.state() == state) {
          return p;
        }
      } catch (RuntimeException notYet) {
        // between continue-as-new and the next task
      }
      Thread.sleep(100);
    }
    throw new AssertionError("campaign never " + state);
  }

  /** Every campaign execution (following continue-as-new) and every child run it started. */
  static List<WorkflowExecutionHistory> histories(WorkflowClient client, WorkflowExecution first) {
    List<WorkflowExecutionHistory> out = new ArrayList<>();
    String runId = first.getRunId();
    while (runId != null) {
      WorkflowExecutionHistory h = client.fetchHistory(first.getWorkflowId(), runId);
      out.add(h);
      String next = null;
      for (HistoryEvent e : h.getEvents()) {
        if (e.getEventType() == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED) {
          var child = e.getChildWorkflowExecutionStartedEventAttributes().getWorkflowExecution();
          out.add(client.fetchHistory(child.getWorkflowId(), child.getRunId()));
        }
        if (e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW) {
          next = e.getWorkflowExecutionContinuedAsNewEventAttributes().getNewExecutionRunId();
        }
      }
      runId = next;
    }
    return out;
  }
}
