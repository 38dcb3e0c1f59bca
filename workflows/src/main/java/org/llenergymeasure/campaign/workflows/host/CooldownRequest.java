package org.llenergymeasure.campaign.workflows.host;

import java.time.Duration;
import java.util.List;

/**
 * Wait until these GPUs of this host are at or below {@code maxTemperatureC}, at most {@code
 * timeout}.
 *
 * @param runId the run that just used them (for logs and the summary)
 * @param uuids the GPUs to watch (the run's routed UUIDs)
 */
public record CooldownRequest(String runId, List<String> uuids, int maxTemperatureC, Duration timeout) {

  public CooldownRequest {
    uuids = List.copyOf(uuids);
  }
}
