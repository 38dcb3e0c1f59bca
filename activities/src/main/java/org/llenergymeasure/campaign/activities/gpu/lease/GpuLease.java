package org.llenergymeasure.campaign.activities.gpu.lease;

/**
 * One GPU (or MIG instance) held by one run attempt.
 *
 * @param uuid the routed UUID, as the inventory spells it
 * @param acquiredAt ISO-8601 instant, for messages and for people reading the file
 */
public record GpuLease(String uuid, LeaseOwner owner, String acquiredAt) {}
