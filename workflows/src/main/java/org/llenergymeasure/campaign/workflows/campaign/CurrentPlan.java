package org.llenergymeasure.campaign.workflows.campaign;

import java.util.List;
import java.util.Map;

/**
 * The {@code plan} query's answer: the campaign file the campaign runs under now.
 *
 * @param planVersion 1 for the file it started with, one more for each accepted amend
 * @param planHashes every plan hash it has run under, oldest first (the last is the current one)
 * @param packedCampaign the current file's campaign ({@code CampaignPack}'s form)
 * @param runNames per experiment of the current file, the name its runs carry ({@code <experiment>}
 *     or, for an experiment changed by an amend, {@code <experiment>@v<version>})
 */
public record CurrentPlan(
    int planVersion,
    List<String> planHashes,
    String packedCampaign,
    Map<String, String> runNames) {}
