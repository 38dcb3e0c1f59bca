package org.llenergymeasure.campaign.workflows.host;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Wait until these GPUs of this host are cool again, at most {@code timeout}: at or below {@code
 * maxTemperatureC} when given, and with an idle baseline within {@code idleDeltaC} of each GPU's
 * idle temperature and (while no compute process holds the GPU) within {@code idlePowerMarginW} of
 * its idle power.
 *
 * @param runId the run that just used them (for logs and the summary)
 * @param uuids the GPUs to watch (the run's routed UUIDs)
 * @param maxTemperatureC the absolute limit; null when only the idle baseline applies
 * @param idle the idle readings of the watched GPUs taken at campaign start, by UUID; empty without
 *     {@code idleBaseline} (or when the host's baseline could not be taken)
 * @param idleDeltaC null without an idle baseline
 * @param idlePowerMarginW null without an idle baseline
 */
public record CooldownRequest(
    String runId,
    List<String> uuids,
    Integer maxTemperatureC,
    Duration timeout,
    Map<String, IdleGpu> idle,
    Integer idleDeltaC,
    Integer idlePowerMarginW) {

  public CooldownRequest {
    uuids = List.copyOf(uuids);
    idle = idle == null ? Map.of() : new TreeMap<>(idle);
  }
}
