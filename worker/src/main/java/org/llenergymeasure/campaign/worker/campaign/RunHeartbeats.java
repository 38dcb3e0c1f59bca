package org.llenergymeasure.campaign.worker.campaign;

import io.temporal.api.common.v1.Payloads;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.client.WorkflowClient;
import org.llenergymeasure.campaign.workflows.LlemDataConverter;
import org.llenergymeasure.campaign.workflows.host.AwaitProgress;
import org.llenergymeasure.campaign.workflows.run.ExperimentWorkflow;

/**
 * What a running run shows, from the heartbeat of its {@code Await} activity (which carries its
 * last log line for the silence watchdog and its progress step): one describe call, no access to
 * the run's host needed.
 */
public final class RunHeartbeats {

  /**
   * A running run's last log line and progress step, each null when it has none (or the heartbeat
   * came from a worker that did not send steps yet).
   */
  public record RunView(String lastLogLine, String step) {

    static final RunView NONE = new RunView(null, null);

    public RunView {
      lastLogLine = lastLogLine == null || lastLogLine.isBlank() ? null : lastLogLine;
      step = step == null || step.isBlank() ? null : step;
    }
  }

  private final WorkflowClient client;
  private final CampaignStarter starter;

  public RunHeartbeats(WorkflowClient client) {
    this.client = client;
    this.starter = new CampaignStarter(client);
  }

  /** The run's last log line and step from one describe call; both null when none is known. */
  public RunView view(String campaign, String runId) {
    try {
      var d = starter.describe(ExperimentWorkflow.workflowId(campaign, runId));
      if (d == null) {
        return RunView.NONE;
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
          return p == null ? RunView.NONE : new RunView(p.lastLogLine(), p.step());
        }
      }
      return RunView.NONE;
    } catch (RuntimeException e) {
      return RunView.NONE; // display only: a failed look shows nothing
    }
  }

  WorkflowClient client() {
    return client;
  }
}
