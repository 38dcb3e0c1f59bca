package org.llenergymeasure.campaign.worker.schedule;

import io.temporal.client.schedules.ScheduleActionExecution;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.llenergymeasure.campaign.workflows.schedule.FiringNames;
import org.llenergymeasure.campaign.workflows.schedule.ScheduledCampaignInput;

/** A {@link ScheduleView} from a schedule's description. */
final class ScheduleViews {

  private ScheduleViews() {}

  static ScheduleView of(
      String name,
      String id,
      ScheduleDescription d,
      ScheduledCampaignInput input,
      FiringStates states) {
    ScheduleInfo info = d.getInfo();
    List<ScheduleView.Firing> firings = new ArrayList<>();
    for (ScheduleActionResult r : info.getRecentActions()) {
      String campaign = campaignOf(name, r.getAction(), r.getStartedAt());
      if (campaign != null) {
        firings.add(
            new ScheduleView.Firing(
                campaign, text(r.getScheduledAt()), text(r.getStartedAt()), states.of(campaign)));
      }
    }
    List<String> running = new ArrayList<>();
    for (ScheduleActionExecution e : info.getRunningActions()) {
      String campaign = campaignOf(name, e, null);
      if (campaign != null) {
        running.add(campaign);
      }
    }
    boolean paused = d.getSchedule().getState().isPaused();
    String note = d.getSchedule().getState().getNote();
    return new ScheduleView(
        name,
        id,
        input.fileCampaign(),
        input.file(),
        input.planHash(),
        memo(d, CampaignSchedules.MEMO_CRON),
        memo(d, CampaignSchedules.MEMO_EVERY),
        memo(d, CampaignSchedules.MEMO_TIMEZONE),
        "skip",
        paused,
        note == null || note.isEmpty() ? null : note,
        paused ? List.of() : info.getNextActionTimes().stream().map(ScheduleViews::text).toList(),
        info.getNumActions(),
        info.getNumActionsSkippedOverlap(),
        running,
        firings);
  }

  private static String campaignOf(String name, ScheduleActionExecution e, Instant started) {
    if (!(e instanceof ScheduleActionExecutionStartWorkflow start)) {
      return null;
    }
    return FiringNames.of(
        name, start.getWorkflowId(), started == null ? 0 : started.toEpochMilli());
  }

  private static String memo(ScheduleDescription d, String key) {
    try {
      return d.getMemo(key, String.class, String.class);
    } catch (RuntimeException absent) {
      return null;
    }
  }

  private static String text(Instant at) {
    return at == null ? null : at.toString();
  }
}
