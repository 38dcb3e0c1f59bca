package org.llenergymeasure.campaign.workflows.campaign;

import java.util.Objects;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.GpuRequest;

/**
 * Whether two runs may want the same GPU, judged from the campaign file alone (the campaign does
 * not know UUIDs before routing). Explicit selections ({@code [0, 1]}) that share a selector, and
 * {@code all}, keep runs apart; {@code {count: N}} never conflicts here because the host's GPU
 * leases give such a run only free GPUs (and a run whose explicit GPUs are leased waits in routing
 * with GpuBusy), so this check only saves a concurrency slot from waiting.
 */
final class GpuConflicts {

  private GpuConflicts() {}

  static boolean mayOverlap(Experiment a, Experiment b) {
    if (a.host() != null && b.host() != null && !Objects.equals(a.host(), b.host())) {
      return false;
    }
    GpuRequest x = a.gpus();
    GpuRequest y = b.gpus();
    if (x.kind() == GpuRequest.Kind.NONE || y.kind() == GpuRequest.Kind.NONE) {
      return false;
    }
    if (x.kind() == GpuRequest.Kind.ALL || y.kind() == GpuRequest.Kind.ALL) {
      return true;
    }
    if (x.kind() == GpuRequest.Kind.LIST && y.kind() == GpuRequest.Kind.LIST) {
      for (String s : x.selectors()) {
        for (String t : y.selectors()) {
          if (sameSelector(s, t)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Equal, or one a UUID prefix of the other ({@code GPU-8f3a} and {@code GPU-8f3a2b...}). */
  private static boolean sameSelector(String s, String t) {
    String a = s.toLowerCase(java.util.Locale.ROOT);
    String b = t.toLowerCase(java.util.Locale.ROOT);
    if (a.equals(b)) {
      return true;
    }
    boolean uuids =
        (a.startsWith("gpu-") || a.startsWith("mig-"))
            && (b.startsWith("gpu-") || b.startsWith("mig-"));
    return uuids && (a.startsWith(b) || b.startsWith(a));
  }
}
