package org.llenergymeasure.campaign.activities.gpu.routing;

import org.llenergymeasure.campaign.activities.gpu.inventory.GpuDevice;
import org.llenergymeasure.campaign.activities.gpu.inventory.MigDevice;
import org.llenergymeasure.campaign.workflows.host.RoutedDevice;

/**
 * A resolved selector: a full GPU, or a MIG instance of one.
 *
 * @param gpu the physical GPU (the parent for a MIG instance)
 * @param mig the MIG instance, or null for a full GPU
 * @param asWritten the selector as the user wrote it, for messages; "" when chosen by the router
 */
record SelectedDevice(GpuDevice gpu, MigDevice mig, String asWritten) {

  String uuid() {
    return mig == null ? gpu.uuid() : mig.uuid();
  }

  boolean isMig() {
    return mig != null;
  }

  /** "GPU 1 (GPU-1b2c...)" or "MIG 0:1 (MIG-8b9c...)". */
  String describe() {
    return mig == null
        ? "GPU " + gpu.index() + " (" + gpu.uuid() + ")"
        : "MIG " + gpu.index() + ":" + mig.index() + " (" + mig.uuid() + ")";
  }

  RoutedDevice toRouted() {
    return mig == null
        ? new RoutedDevice(gpu.uuid(), gpu.index(), gpu.name(), null, null)
        : new RoutedDevice(mig.uuid(), gpu.index(), gpu.name(), gpu.uuid(), mig.index());
  }
}
