package org.llenergymeasure.campaign.activities.gpu.quarantine;

import static org.llenergymeasure.campaign.workflows.FailureTypes.GPU_BUSY;

import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.config.BusyPolicy;
import org.llenergymeasure.campaign.workflows.host.QuarantinedGpu;

/**
 * Keeps quarantined GPUs from new runs: a routing that includes one is refused like a busy GPU.
 * {@code busy: fail} fails at once; {@code wait} (and {@code ignore}: a quarantined GPU never
 * silently runs) waits until it is clean again or an operator releases it.
 */
public final class QuarantineCheck {

  private QuarantineCheck() {}

  public static void refuseQuarantined(
      String hostId, Collection<String> routed, List<QuarantinedGpu> quarantined, BusyPolicy busy) {
    List<QuarantinedGpu> hit =
        quarantined.stream()
            .filter(q -> routed.stream().anyMatch(u -> QuarantineStore.same(u, q.uuid())))
            .toList();
    if (hit.isEmpty()) {
      return;
    }
    boolean fail = busy == BusyPolicy.FAIL;
    String what = hit.stream().map(QuarantineCheck::describe).collect(Collectors.joining("; "));
    throw new RunFailureException(
        GPU_BUSY,
        what
            + " on host "
            + hostId
            + (fail ? "; select another GPU, or" : "; waiting until it is clean again or")
            + " release it with `"
            + hit.get(0).releaseCommand()
            + "` on that host",
        !fail);
  }

  static String describe(QuarantinedGpu q) {
    return "GPU "
        + q.uuid()
        + " is quarantined since "
        + q.since()
        + " ("
        + q.reason()
        + "; left by "
        + q.leftBy()
        + ")";
  }
}
