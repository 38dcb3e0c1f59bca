package org.llenergymeasure.campaign.config;

import java.nio.file.Path;

/** Reads, validates and expands a campaign file (campaign-format.md). */
public final class CampaignLoader {

  private CampaignLoader() {}

  /**
   * @throws CampaignFileException with every located error of the file
   */
  public static LoadedCampaign load(Path file) throws CampaignFileException {
    throw new UnsupportedOperationException("TODO");
  }
}
