package org.llenergymeasure.campaign.workflows.host;

import java.util.Map;

/**
 * How a cooldown ended. Not reaching the temperature in time is not an error: the campaign goes on
 * and the note says so.
 *
 * @param reached true when every watched GPU was at or below the limit
 * @param temperaturesC the last reading per UUID; empty without a sensor
 * @param waitedMillis how long it waited
 * @param note what happened, for the run's record ("no sensor", "timed out at 52 °C", ...)
 */
public record CooldownResult(
    boolean reached, Map<String, Integer> temperaturesC, long waitedMillis, String note) {

  public CooldownResult {
    temperaturesC =
        temperaturesC == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(temperaturesC));
  }
}
