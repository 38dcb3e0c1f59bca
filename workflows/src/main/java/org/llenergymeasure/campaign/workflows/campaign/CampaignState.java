package org.llenergymeasure.campaign.workflows.campaign;

import java.util.ArrayList;
import java.util.List;

/**
 * The one small state of a campaign: the cursor into the plan, each run's status (by plan
 * index), the recent failures, observed run durations for the ETA. It is carried across
 * continue-as-new, so it stays compact: one short string per run.
 *
 * @param cursor index of the next run to start
 * @param statuses one entry per planned run, by plan index
 * @param recentFailures the last few failures, newest last
 * @param finishedRuns runs that reached a final status after running (for the ETA)
 * @param finishedMillis their summed durations
 * @param continuedAsNew how many times this campaign continued as new
 */
public record CampaignState(
    int cursor,
    List<RunStatus> statuses,
    List<RecentFailure> recentFailures,
    long finishedRuns,
    long finishedMillis,
    int continuedAsNew) {

  static final int RECENT_FAILURES_KEPT = 10;

  public CampaignState {
    statuses = new ArrayList<>(statuses);
    recentFailures = new ArrayList<>(recentFailures);
  }

  public static CampaignState start(int plannedRuns) {
    List<RunStatus> statuses = new ArrayList<>(plannedRuns);
    for (int i = 0; i < plannedRuns; i++) {
      statuses.add(RunStatus.PENDING);
    }
    return new CampaignState(0, statuses, List.of(), 0, 0, 0);
  }

  public long count(RunStatus status) {
    return statuses.stream().filter(s -> s == status).count();
  }
}
