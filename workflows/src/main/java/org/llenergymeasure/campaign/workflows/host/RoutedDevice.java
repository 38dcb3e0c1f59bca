package org.llenergymeasure.campaign.workflows.host;

/**
 * A host device a run was given.
 *
 * @param uuid full {@code GPU-...} UUID, or {@code MIG-...} for a MIG instance
 * @param index the host index of the GPU (of the parent GPU for a MIG instance)
 * @param name the product name, e.g. "NVIDIA H200"
 * @param parentUuid for a MIG instance, its GPU's UUID; null for a full GPU
 * @param migIndex for a MIG instance, its index on the parent GPU; null for a full GPU
 */
public record RoutedDevice(
    String uuid, int index, String name, String parentUuid, Integer migIndex) {}
