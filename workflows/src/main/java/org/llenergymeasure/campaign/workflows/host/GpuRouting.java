package org.llenergymeasure.campaign.workflows.host;

import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.config.AttachMode;

/**
 * The router's answer for one run attempt on one host: the single source of truth for which GPUs
 * the run gets and how (gpu-routing.md "The router's contract").
 *
 * @param hostId the GPU host that routed (and leased) the devices; every later step runs there
 * @param devices the host devices in PCI bus order
 * @param env the routing variables for the run (NVIDIA_VISIBLE_DEVICES, CUDA_VISIBLE_DEVICES,
 *     CUDA_DEVICE_ORDER, NVIDIA_DRIVER_CAPABILITIES as the attach mode needs)
 * @param deviceRequest the Docker DeviceRequest, or null (attach env/process, or no GPUs)
 * @param expectedDeviceCount how many devices the run must see
 * @param expectedUuids the UUIDs it must see, in the order CUDA will enumerate them
 * @param mapping container device i to host device
 * @param simulated true when the host is a captured inventory (--inventory), not real GPUs
 */
public record GpuRouting(
    String hostId,
    AttachMode attach,
    List<RoutedDevice> devices,
    Map<String, String> env,
    DeviceRequestSpec deviceRequest,
    int expectedDeviceCount,
    List<String> expectedUuids,
    List<DeviceMapping> mapping,
    boolean simulated) {

  public GpuRouting {
    devices = List.copyOf(devices);
    env = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(env));
    expectedUuids = List.copyOf(expectedUuids);
    mapping = List.copyOf(mapping);
  }

  /** {@code gpus: none}: the run must see no GPU at all (its check lists device nodes instead). */
  public boolean noGpu() {
    return expectedDeviceCount == 0 && devices.isEmpty();
  }

  public List<String> uuids() {
    return devices.stream().map(RoutedDevice::uuid).toList();
  }
}
