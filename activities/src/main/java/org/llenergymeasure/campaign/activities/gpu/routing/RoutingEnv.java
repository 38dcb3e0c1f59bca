package org.llenergymeasure.campaign.activities.gpu.routing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.workflows.host.DeviceRequestSpec;

/**
 * The variables and Docker DeviceRequest that give a run exactly its routed devices.
 *
 * <p>Containers: NVIDIA_VISIBLE_DEVICES is always set, to the UUIDs or to {@code void}, because
 * CUDA base images ship {@code NVIDIA_VISIBLE_DEVICES=all} and a runtime that reads it would
 * otherwise expose every GPU. Inside the container the GPUs are renumbered 0..n-1, so
 * CUDA_VISIBLE_DEVICES counts from 0 (copying host indices into it is the upstream bug). A local
 * process sees the whole host, so it gets the UUIDs themselves.
 */
public final class RoutingEnv {

  public static final String NVIDIA_VISIBLE_DEVICES = "NVIDIA_VISIBLE_DEVICES";
  public static final String CUDA_VISIBLE_DEVICES = "CUDA_VISIBLE_DEVICES";
  public static final String CUDA_DEVICE_ORDER = "CUDA_DEVICE_ORDER";
  public static final String NVIDIA_DRIVER_CAPABILITIES = "NVIDIA_DRIVER_CAPABILITIES";

  /** The variables the routing owns; a user's env must not set them differently. */
  public static final List<String> ROUTING_VARIABLES =
      List.of(
          NVIDIA_VISIBLE_DEVICES,
          CUDA_VISIBLE_DEVICES,
          CUDA_DEVICE_ORDER,
          NVIDIA_DRIVER_CAPABILITIES);

  /** CUDA's default order is fastest-first; nvidia-smi, NVML, Docker and the toolkit use PCI. */
  static final String PCI_BUS_ID = "PCI_BUS_ID";

  /** utility mounts nvidia-smi, which the device-view check runs inside the container. */
  static final String CAPABILITIES = "compute,utility";

  private RoutingEnv() {}

  /**
   * The environment variables that give a run exactly the devices {@code uuids}.
   *
   * @param uuids the routed device UUIDs in CUDA enumeration order; empty for gpus: none
   */
  public static Map<String, String> env(AttachMode attach, List<String> uuids) {
    Map<String, String> env = new LinkedHashMap<>();
    String joined = String.join(",", uuids);
    if (attach == AttachMode.PROCESS) {
      env.put(CUDA_VISIBLE_DEVICES, joined); // empty = no device for CUDA
      env.put(CUDA_DEVICE_ORDER, PCI_BUS_ID);
      return env;
    }
    if (uuids.isEmpty()) {
      env.put(NVIDIA_VISIBLE_DEVICES, "void");
      env.put(CUDA_VISIBLE_DEVICES, "");
      env.put(CUDA_DEVICE_ORDER, PCI_BUS_ID);
      return env;
    }
    env.put(NVIDIA_VISIBLE_DEVICES, joined);
    env.put(
        CUDA_VISIBLE_DEVICES,
        IntStream.range(0, uuids.size())
            .mapToObj(String::valueOf)
            .collect(Collectors.joining(",")));
    env.put(CUDA_DEVICE_ORDER, PCI_BUS_ID);
    env.put(NVIDIA_DRIVER_CAPABILITIES, CAPABILITIES);
    return env;
  }

  /**
   * The DeviceRequest, or null. Always explicit device ids, never Count: Docker rejects Count with
   * ids, and Count=N means GPUs 0..N-1 rather than the ones we routed.
   */
  public static DeviceRequestSpec deviceRequest(AttachMode attach, List<String> uuids) {
    if (uuids.isEmpty()) {
      return null;
    }
    return switch (attach) {
      case DEVICE_REQUEST -> new DeviceRequestSpec("nvidia", uuids, List.of(List.of("gpu")));
      case CDI ->
          new DeviceRequestSpec(
              "cdi",
              uuids.stream().map(u -> "nvidia.com/gpu=" + u).toList(),
              List.of(List.of("gpu")));
      case ENV, PROCESS -> null;
    };
  }
}
