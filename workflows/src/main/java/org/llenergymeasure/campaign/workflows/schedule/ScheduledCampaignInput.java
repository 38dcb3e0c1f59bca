package org.llenergymeasure.campaign.workflows.schedule;

import java.util.List;
import java.util.Map;

/**
 * A schedule's action input: the campaign file validated and frozen at {@code schedule create} (or
 * {@code schedule update}), in the form {@code run} sends, and what the firing's campaign shows.
 *
 * @param schedule the schedule's name; firings are named {@code <schedule>-<UTC time>}
 * @param planHash the file's plan hash ({@code validate}'s and {@code plan}'s hash)
 * @param packedCampaign the campaign in {@code CampaignPack}'s form, under the file's own name
 * @param candidateHosts hosts to try for runs without {@code host:}, as {@code run} passes them
 * @param plannedRuns runs at start, for the {@code LlemPlanned} search attribute
 * @param file the file's path when the schedule was created or updated (for {@code describe})
 * @param fileCampaign the {@code campaign:} name inside the file
 * @param experimentHashes the campaign memo's experiment hashes; null when too many to carry
 * @param details the Markdown of the campaign's page below its heading; may be null
 */
public record ScheduledCampaignInput(
    String schedule,
    String planHash,
    String packedCampaign,
    List<String> candidateHosts,
    long plannedRuns,
    String file,
    String fileCampaign,
    Map<String, String> experimentHashes,
    String details) {

  public ScheduledCampaignInput {
    candidateHosts = List.copyOf(candidateHosts);
  }
}
