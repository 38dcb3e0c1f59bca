package org.llenergymeasure.campaign.activities.measurement;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.llenergymeasure.campaign.activities.AttemptFolder;

/**
 * What the host measured of one attempt, read from its folder, or why it measured nothing.
 *
 * @param measurement null when nothing was measured
 * @param note why nothing was measured ("no host measurement: ..."); null when measured
 * @param judged true when the measurement's validity can be judged: the run had GPUs and the host
 *     could read them (now, or when it recorded the readings)
 */
public record HostReading(HostMeasurement measurement, String note, boolean judged) {

  /**
   * Reads what the host measured of one attempt from its folder.
   *
   * @param uuids the GPUs routed to the attempt
   * @param unavailable why this worker cannot read GPUs, empty when it can
   * @param result the run's result object, may be null: when it reports its own measurement window
   *     ({@link ReportedWindow}), the measurement adds the energy over that window
   */
  public static HostReading of(
      AttemptFolder folder, List<String> uuids, Optional<String> unavailable, JsonNode result) {
    if (uuids == null || uuids.isEmpty()) {
      return new HostReading(null, "no host measurement: the run had no GPUs", false);
    }
    SampleLog log = new SampleLog(folder);
    List<SampleRound> rounds = log.read();
    HostMeasurement m = HostMeasurements.of(uuids, rounds, log.readIdle().orElse(null));
    if (m != null) {
      Optional<ReportedWindow> window = ReportedWindow.of(result, ZoneId.systemDefault());
      if (window.isPresent()) {
        m = m.withWindow(WindowEnergy.of(uuids, rounds, window.get()));
      }
      return new HostReading(m, null, true);
    }
    if (unavailable.isPresent()) {
      return new HostReading(null, "no host measurement: " + unavailable.get(), false);
    }
    return new HostReading(
        null,
        "no host measurement: no GPU readings were recorded for this attempt (it never ran)",
        true);
  }
}
