package org.llenergymeasure.campaign.plugin;

import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.stream.Collectors;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.CampaignFileException;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.workflows.campaign.CampaignInput;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflow;
import org.llenergymeasure.campaign.workflows.plan.CampaignPack;

/**
 * {@link CampaignPreparation} on the worker of host {@code hostId}: a file without {@code hosts:}
 * runs on that host, as {@code run} on that host would.
 */
final class CampaignPreparationImpl implements CampaignPreparation {

  private final String hostId;

  CampaignPreparationImpl(String hostId) {
    this.hostId = hostId;
  }

  @Override
  public PreparedCampaign prepare(String campaignYaml, String fileName) {
    LoadedCampaign loaded;
    try {
      loaded = CampaignLoader.parse(campaignYaml, fileName);
    } catch (CampaignFileException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          fileName
              + " is not a valid campaign: "
              + e.errors().stream().map(Object::toString).collect(Collectors.joining("; ")),
          INVALID_CAMPAIGN_FILE);
    }
    Campaign campaign = loaded.campaign();
    List<String> candidateHosts = campaign.hosts().isEmpty() ? List.of(hostId) : campaign.hosts();
    String packed = CampaignPack.pack(campaign);
    long runs = loaded.plan().runs().size();
    return new PreparedCampaign(
        campaign.name(),
        CampaignWorkflow.workflowId(campaign.name()),
        runs,
        loaded.plan().hash(),
        "campaign " + campaign.name() + ": " + runs + " runs",
        new CampaignInput(null, loaded.plan().hash(), candidateHosts, null, null, packed));
  }
}
