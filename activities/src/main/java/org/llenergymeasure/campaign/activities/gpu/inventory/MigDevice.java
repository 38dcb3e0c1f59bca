package org.llenergymeasure.campaign.activities.gpu.inventory;

/**
 * A MIG instance as {@code nvidia-smi -L} lists it under its GPU.
 *
 * @param index the MIG device index on its GPU (the {@code m} of the {@code g:m} selector)
 * @param uuid the full {@code MIG-...} UUID
 * @param profile the profile name, e.g. {@code 3g.40gb}
 */
public record MigDevice(int index, String uuid, String profile) {}
