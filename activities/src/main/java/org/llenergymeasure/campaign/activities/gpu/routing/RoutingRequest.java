package org.llenergymeasure.campaign.activities.gpu.routing;

import java.util.Map;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.config.BusyPolicy;
import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.config.Parallelism;

/**
 * What one run asks of a host.
 *
 * @param gpus the experiment's {@code gpus:}
 * @param parallelism tensor × pipeline, or null for no check
 * @param attach how the run gets its GPUs
 * @param userEnv the experiment's own env (checked for variables that would fight the routing)
 * @param busy what to do when a selected GPU runs another process
 * @param privileged whether a privileged container was asked for (always refused)
 */
public record RoutingRequest(
    GpuRequest gpus,
    Parallelism parallelism,
    AttachMode attach,
    Map<String, String> userEnv,
    BusyPolicy busy,
    boolean privileged) {

  public RoutingRequest {
    attach = attach == null ? AttachMode.DEVICE_REQUEST : attach;
    userEnv = userEnv == null ? Map.of() : Map.copyOf(userEnv);
    busy = busy == null ? BusyPolicy.WAIT : busy;
  }

  /** The defaults: device-request, busy wait, no extra env, no parallelism check. */
  public static RoutingRequest of(GpuRequest gpus) {
    return new RoutingRequest(
        gpus, null, AttachMode.DEVICE_REQUEST, Map.of(), BusyPolicy.WAIT, false);
  }
}
