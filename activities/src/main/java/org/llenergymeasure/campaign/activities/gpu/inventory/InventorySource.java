package org.llenergymeasure.campaign.activities.gpu.inventory;

/** Where a host's GPU inventory comes from: nvidia-smi, or captured files for a simulated host. */
public interface InventorySource {

  /**
   * Reads the inventory now (GPU processes come and go, so callers read it per routing).
   *
   * @throws InventoryException when it cannot be read; never returns a host without GPUs
   */
  HostInventory read();
}
