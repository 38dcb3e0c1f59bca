package org.llenergymeasure.campaign.activities.gpu.quarantine;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.llenergymeasure.campaign.activities.gpu.inventory.GpuDevice;
import org.llenergymeasure.campaign.activities.gpu.inventory.HostInventory;
import org.llenergymeasure.campaign.workflows.host.QuarantinedGpu;

/**
 * Lifts the quarantine of GPUs that are clean again: no compute process on them and their used
 * memory (where it can be read) within {@link GpuHygiene#MEMORY_SLACK_MIB}. A leftover process that
 * finally exits (a slow CUDA teardown, a stuck process someone killed) thus frees its GPU without
 * an operator; one that stays keeps the GPU out of use until {@code quarantine release}.
 */
public final class QuarantineReview {

  private QuarantineReview() {}

  /** Releases the quarantined GPUs that are clean again and returns them. */
  public static List<QuarantinedGpu> liftClean(
      QuarantineStore store, HostInventory host, GpuMemory memory) {
    if (store.list().isEmpty()) {
      return List.of();
    }
    Optional<Map<String, Long>> used = memory.usedMiB();
    // Judged under the store's lock on its current content, so a quarantine recorded meanwhile
    // is judged as it is.
    return store.releaseWhere(q -> clean(q, host, used));
  }

  static boolean clean(QuarantinedGpu q, HostInventory host, Optional<Map<String, Long>> used) {
    GpuDevice gpu =
        host.gpus().stream()
            .filter(g -> g.uuid().equalsIgnoreCase(q.uuid()))
            .findFirst()
            .orElse(null);
    if (gpu == null || !host.processesOn(gpu).isEmpty()) {
      return false;
    }
    Long now = used.map(m -> m.get(gpu.uuid())).orElse(null);
    return now == null || now <= GpuHygiene.MEMORY_SLACK_MIB;
  }
}
