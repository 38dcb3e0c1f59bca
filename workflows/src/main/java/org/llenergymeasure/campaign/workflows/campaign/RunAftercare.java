package org.llenergymeasure.campaign.workflows.campaign;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import org.llenergymeasure.campaign.config.Cooldown;
import org.llenergymeasure.campaign.workflows.host.CooldownRequest;
import org.llenergymeasure.campaign.workflows.host.CooldownResult;
import org.llenergymeasure.campaign.workflows.host.GpuCareActivities;
import org.llenergymeasure.campaign.workflows.host.QuarantinedGpu;
import org.llenergymeasure.campaign.workflows.run.RunOutcome;
import org.slf4j.Logger;

/** What the campaign workflow does after a run ended: notes its quarantined GPUs, cools down. */
final class RunAftercare {

  private static final Logger log = Workflow.getLogger(CampaignWorkflowImpl.class);

  private RunAftercare() {}

  static void noteQuarantined(RunBook book, String campaign, RunOutcome outcome) {
    for (QuarantinedGpu q : outcome.quarantined()) {
      book.quarantined(q);
      log.warn(
          "campaign {}: GPU {} on {} is quarantined after {}: {}; no run gets it until it is clean or `{}`",
          campaign,
          q.uuid(),
          q.host(),
          outcome.runId(),
          q.reason(),
          q.releaseCommand());
    }
  }

  /** The optional cooldown after a run on its host (an activity); never fails the campaign. */
  static void coolDown(RunBook book, RunOutcome outcome, Cooldown cooldown) {
    CooldownRequest request =
        IdleBaselines.cooldownRequest(outcome, cooldown, book.idleBaselines());
    String summary = CampaignVisibility.cooldownSummary(outcome, cooldown);
    try {
      CooldownResult result =
          Workflow.newActivityStub(
                  GpuCareActivities.class,
                  CampaignActivityOptions.cooldown(outcome.host(), summary, cooldown.timeout()))
              .cooldown(request);
      log.info("cooldown after {}: {}", outcome.runId(), result.note());
    } catch (ActivityFailure | CanceledFailure e) {
      // A cooldown is a courtesy to the next measurement, never a reason to stop the campaign.
      log.warn("cooldown after {} did not complete: {}", outcome.runId(), e.getMessage());
    }
  }
}
