package org.llenergymeasure.campaign.activities.gpu.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.gpu.inventory.HostInventory;
import org.llenergymeasure.campaign.workflows.host.DeviceMapping;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.RoutedDevice;

/**
 * Resolves a run's GPU request against a host inventory into one {@link GpuRouting} (gpu-routing.md
 * "The router's contract"). Pure: no I/O, no clock, the same answer for the same input.
 *
 * <p>Devices are kept in PCI bus order whatever order they were written in: the container renumbers
 * them in that order, and a local process gets its UUIDs in that order, so in both cases cuda:i is
 * the i-th routed device.
 */
public final class GpuRouter {

  private GpuRouter() {}

  /**
   * Routes {@code request} to devices of {@code host}, none of them leased by another run.
   *
   * @throws RunFailureException with a FailureTypes type when the request cannot be routed
   */
  public static GpuRouting route(HostInventory host, RoutingRequest request) {
    return route(host, request, Set.of());
  }

  /**
   * Routes {@code request} to devices of {@code host}, skipping those other runs hold.
   *
   * @param leasedByOthers UUIDs other runs hold on this host: {@code count: N} skips them (an
   *     explicit selection of one is refused later, by the lease)
   */
  public static GpuRouting route(
      HostInventory host, RoutingRequest request, Set<String> leasedByOthers) {
    ConflictCheck.privileged(request.privileged());
    List<SelectedDevice> devices =
        DeviceSelection.select(host, request.gpus(), request.busy(), leasedByOthers);
    ConflictCheck.parallelism(request.parallelism(), devices.size());
    List<String> uuids = devices.stream().map(SelectedDevice::uuid).toList();
    Map<String, String> env = RoutingEnv.env(request.attach(), uuids);
    ConflictCheck.userEnv(request.userEnv(), env, request.attach());
    BusyCheck.check(host, devices, request.busy());

    List<RoutedDevice> routed = devices.stream().map(SelectedDevice::toRouted).toList();
    List<DeviceMapping> mapping = new ArrayList<>();
    for (int i = 0; i < devices.size(); i++) {
      mapping.add(new DeviceMapping(i, uuids.get(i), devices.get(i).gpu().index()));
    }
    return new GpuRouting(
        host.hostId(),
        request.attach(),
        routed,
        env,
        RoutingEnv.deviceRequest(request.attach(), uuids),
        uuids.size(),
        uuids,
        mapping,
        host.simulated());
  }
}
