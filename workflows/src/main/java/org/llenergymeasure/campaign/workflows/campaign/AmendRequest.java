package org.llenergymeasure.campaign.workflows.campaign;

/**
 * The {@code amend} update's argument: the new version of the campaign's file.
 *
 * @param packedCampaign the validated campaign in {@code CampaignPack}'s form
 * @param planHash the plan hash of the new file (as {@code plan FILE} shows it)
 */
public record AmendRequest(String packedCampaign, String planHash) {}
