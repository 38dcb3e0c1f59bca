package org.llenergymeasure.campaign.workflows.host;

import java.util.List;

/**
 * The Docker DeviceRequest for a routing: driver ("nvidia" or "cdi"), explicit device ids (UUIDs or
 * CDI names) and capabilities ({@code [["gpu"]]}). Never a Count.
 */
public record DeviceRequestSpec(
    String driver, List<String> deviceIds, List<List<String>> capabilities) {

  public DeviceRequestSpec {
    deviceIds = List.copyOf(deviceIds);
    capabilities = capabilities.stream().map(List::copyOf).toList();
  }
}
