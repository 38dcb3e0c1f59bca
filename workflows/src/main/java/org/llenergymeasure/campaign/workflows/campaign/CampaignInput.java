package org.llenergymeasure.campaign.workflows.campaign;

import java.util.List;
import org.llenergymeasure.campaign.config.Campaign;

/**
 * The campaign workflow's input and what continue-as-new carries. Compact: the validated campaign
 * (the plan is re-derived inside from it), the plan hash computed by the client (so a worker whose
 * expansion differs is noticed), the hosts to route to, and the state so far.
 *
 * @param candidateHosts hosts to try for runs without {@code host:}; the file's {@code hosts} if
 *     given, else those the starting client knew
 * @param state null on the first start
 * @param continueAsNewAfterRuns test hook: continue as new after starting this many runs in one
 *     execution, as if the server had suggested it (it cannot be made to in a test); null = only
 *     when the server suggests it
 */
public record CampaignInput(
    Campaign campaign,
    String planHash,
    List<String> candidateHosts,
    CampaignState state,
    Integer continueAsNewAfterRuns) {

  public CampaignInput {
    candidateHosts = List.copyOf(candidateHosts);
  }

  public CampaignInput withState(CampaignState newState) {
    return new CampaignInput(campaign, planHash, candidateHosts, newState, continueAsNewAfterRuns);
  }
}
