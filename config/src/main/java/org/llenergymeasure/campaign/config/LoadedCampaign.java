package org.llenergymeasure.campaign.config;

import java.util.List;

/** A campaign that passed validation, with its plan and the warnings worth showing. */
public record LoadedCampaign(Campaign campaign, Plan plan, List<String> warnings) {

  public LoadedCampaign {
    warnings = List.copyOf(warnings);
  }
}
