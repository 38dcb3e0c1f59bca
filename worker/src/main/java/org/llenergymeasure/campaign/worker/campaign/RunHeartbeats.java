package org.llenergymeasure.campaign.worker.campaign;

import io.temporal.api.common.v1.Payloads;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.client.WorkflowClient;
import java.util.Optional;
import org.llenergymeasure.campaign.workflows.LlemDataConverter;
import org.llenergymeasure.campaign.workflows.host.AwaitProgress;
import org.llenergymeasure.campaign.workflows.run.ExperimentWorkflow;

/**
 * The last log line of a running run, from the heartbeat of its {@code Await} activity (which
 * carries it for the silence watchdog): one describe call, no access to the run's host needed.
 */
public final class RunHeartbeats {

  private final WorkflowClient client;
  private final CampaignStarter starter;

  public RunHeartbeats(WorkflowClient client) {
    this.client = client;
    this.starter = new CampaignStarter(client);
  }

  public Optional<String> lastLogLine(String campaign, String runId) {
    try {
      var d = starter.describe(ExperimentWorkflow.workflowId(campaign, runId));
      if (d == null) {
        return Optional.empty();
      }
      for (PendingActivityInfo a : d.getPendingActivitiesList()) {
        if (a.getActivityType().getName().equals("Await") && a.hasHeartbeatDetails()) {
          Payloads details = a.getHeartbeatDetails();
          if (details.getPayloadsCount() == 0) {
            continue;
          }
          AwaitProgress p =
              LlemDataConverter.create()
                  .fromPayload(details.getPayloads(0), AwaitProgress.class, AwaitProgress.class);
          return Optional.ofNullable(p == null ? null : p.lastLogLine()).filter(s -> !s.isBlank());
        }
      }
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty(); // display only: a failed look shows no line
    }
  }

  WorkflowClient client() {
    return client;
  }
}
