package org.llenergymeasure.campaign.workflows.schedule;

/**
 * How a firing ended.
 *
 * @param campaign the firing's campaign name
 * @param state the campaign's final state (completed, failed, canceled), or {@code failed} when its
 *     workflow did not end normally
 */
public record FiringResult(String campaign, String state) {}
