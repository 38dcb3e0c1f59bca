package org.llenergymeasure.campaign.workflows.campaign;

/**
 * One accepted {@code amend} of a running campaign, as its state carries it across continue-as-new:
 * enough to rebuild the amended plan from the plan before it ({@link PlanVersions}).
 *
 * @param planVersion the plan version it made (2 for the first amend)
 * @param planHash the plan hash of the new file, as the client computed it
 * @param packedCampaign the new file's campaign ({@code CampaignPack}'s form)
 * @param firstNotStarted the plan index from which no run had started when it was applied
 * @param firstReplanned the plan index from which the plan was planned anew (the first run of the
 *     first cycle that had not started; the plan's end in grouped order)
 * @param currentCycle the cycle of the run just before {@code firstNotStarted} (0: none)
 * @param summary one line saying what it did, for status
 */
public record Amendment(
    int planVersion,
    String planHash,
    String packedCampaign,
    int firstNotStarted,
    int firstReplanned,
    int currentCycle,
    String summary) {}
