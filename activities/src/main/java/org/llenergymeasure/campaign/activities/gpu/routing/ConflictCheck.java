package org.llenergymeasure.campaign.activities.gpu.routing;

import static org.llenergymeasure.campaign.workflows.FailureTypes.PARALLELISM_MISMATCH;
import static org.llenergymeasure.campaign.workflows.FailureTypes.ROUTING_CONFLICT;

import java.util.Map;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.config.Parallelism;

/** Requests that contradict the routing itself: privileged, parallelism, the user's env. */
final class ConflictCheck {

  private ConflictCheck() {}

  static void privileged(boolean privileged) {
    if (privileged) {
      throw new RunFailureException(
          ROUTING_CONFLICT,
          "privileged containers see every GPU of the host, whatever gpus: selects;"
              + " remove privileged and select GPUs with gpus:",
          false);
    }
  }

  static void parallelism(Parallelism parallelism, int selected) {
    if (parallelism == null || parallelism.gpus() == selected) {
      return;
    }
    throw new RunFailureException(
        PARALLELISM_MISMATCH,
        "tensor×pipeline parallel = "
            + parallelism.gpus()
            + " (tensor "
            + parallelism.tensor()
            + " × pipeline "
            + parallelism.pipeline()
            + ") but "
            + selected
            + " GPU"
            + (selected == 1 ? "" : "s")
            + " selected; select "
            + parallelism.gpus()
            + " GPUs or change parallelism",
        false);
  }

  /**
   * A routing variable in the user's env must equal the routing's value (setting the same value is
   * harmless); anything else would override or confuse the selection.
   */
  static void userEnv(Map<String, String> userEnv, Map<String, String> routed, AttachMode attach) {
    for (String key : RoutingEnv.ROUTING_VARIABLES) {
      if (!userEnv.containsKey(key)) {
        continue;
      }
      String value = userEnv.get(key);
      String ours = routed.get(key);
      if (value.equals(ours)) {
        continue;
      }
      throw new RunFailureException(
          ROUTING_CONFLICT,
          "env "
              + key
              + "="
              + value
              + " contradicts the routing: "
              + why(key, attach)
              + (ours == null
                  ? "; the router leaves it unset"
                  : "; the router sets " + key + "=" + ours)
              + ". Remove it from env and select GPUs with gpus:",
          false);
    }
  }

  private static String why(String key, AttachMode attach) {
    return switch (key) {
      case RoutingEnv.CUDA_VISIBLE_DEVICES ->
          attach.isContainer()
              ? "inside the container the routed GPUs are renumbered 0..n-1, so it would select a"
                  + " host index inside the container (the wrong GPU, or none)"
              : "it would select other GPUs than the routed ones";
      case RoutingEnv.NVIDIA_VISIBLE_DEVICES ->
          attach.isContainer()
              ? "it tells the container runtime which GPUs to expose, which is the routing's job"
              : "a local process is not started by the container runtime, so it would be ignored";
      case RoutingEnv.CUDA_DEVICE_ORDER ->
          "the routing relies on CUDA enumerating in PCI bus order, like nvidia-smi";
      default ->
          "the routing needs the compute and utility capabilities (nvidia-smi checks the devices)";
    };
  }
}
