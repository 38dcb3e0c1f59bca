package org.llenergymeasure.campaign.workflows.campaign;

import java.util.List;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.workflows.plan.CampaignPack;

/**
 * The campaign workflow's input and what continue-as-new carries. Compact: the validated campaign
 * (the plan is re-derived inside from it), the plan hash computed by the client (so a worker whose
 * expansion differs is noticed), the hosts to route to, and the state so far.
 *
 * <p>The campaign travels in one of two forms: {@code packedCampaign} ({@link CampaignPack}, what
 * {@code run} sends: a grid of 100,000 experiments fits in well under the server's limit on one
 * payload) or, in inputs written before it existed and in small test campaigns, {@code campaign}
 * itself. Exactly one is set.
 *
 * @param campaign the campaign written out; null when {@code packedCampaign} is set
 * @param candidateHosts hosts to try for runs without {@code host:}; the file's {@code hosts} if
 *     given, else those the starting client knew
 * @param state null on the first start
 * @param continueAsNewAfterRuns test hook: continue as new after starting this many runs in one
 *     execution, as if the server had suggested it (it cannot be made to in a test); null = only
 *     when the server suggests it
 * @param packedCampaign the campaign in {@link CampaignPack}'s form; null when {@code campaign} is
 *     set
 */
public record CampaignInput(
    Campaign campaign,
    String planHash,
    List<String> candidateHosts,
    CampaignState state,
    Integer continueAsNewAfterRuns,
    String packedCampaign) {

  public CampaignInput {
    candidateHosts = List.copyOf(candidateHosts);
  }

  /** An input with the campaign written out (inputs before the packed form; small tests). */
  public CampaignInput(
      Campaign campaign,
      String planHash,
      List<String> candidateHosts,
      CampaignState state,
      Integer continueAsNewAfterRuns) {
    this(campaign, planHash, candidateHosts, state, continueAsNewAfterRuns, null);
  }

  /** The first input of a campaign, with the campaign packed. */
  public static CampaignInput packed(
      Campaign campaign, String planHash, List<String> candidateHosts, Integer hook) {
    return new CampaignInput(
        null, planHash, candidateHosts, null, hook, CampaignPack.pack(campaign));
  }

  /** The campaign, unpacked if it came packed. */
  public Campaign unpackedCampaign() {
    return campaign != null ? campaign : CampaignPack.unpack(packedCampaign);
  }

  public CampaignInput withState(CampaignState newState) {
    return new CampaignInput(
        campaign, planHash, candidateHosts, newState, continueAsNewAfterRuns, packedCampaign);
  }
}
