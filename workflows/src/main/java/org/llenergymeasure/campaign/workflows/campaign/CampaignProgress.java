package org.llenergymeasure.campaign.workflows.campaign;

import java.util.List;

/**
 * The answer of the {@code progress} query; its fields are those of {@code status --json} in
 * cli-contract.md.
 *
 * @param state running, paused, completed, failed or canceled
 * @param etaSeconds null until a run has finished
 */
public record CampaignProgress(
    String campaign,
    String state,
    long planned,
    long completed,
    long failed,
    long skipped,
    long pending,
    List<RunningRun> running,
    List<RecentFailure> recentFailures,
    Long etaSeconds) {}
