package org.llenergymeasure.campaign.activities.measurement;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.llenergymeasure.campaign.activities.AttemptFolder;
import org.llenergymeasure.campaign.config.Measurement;

/**
 * What the host measured of one attempt, read from its folder, or why it measured nothing.
 *
 * @param measurement null when nothing was measured
 * @param note why nothing was measured ("no host measurement: ..."); null when measured
 * @param judged true when the measurement's validity can be judged: the run had GPUs and the host
 *     could read them (now, or when it recorded the readings)
 * @param checks what the rounds of readings say beside the energy; null when there were none
 */
public record HostReading(
    HostMeasurement measurement, String note, boolean judged, SampleChecks checks) {

  public HostReading(HostMeasurement measurement, String note, boolean judged) {
    this(measurement, note, judged, null);
  }

  /**
   * The validity verdict on the attempt: {@link Validity#NO_HOST_MEASUREMENT} (valid) when the host
   * could not judge it, else every rule's.
   */
  public Verdict verdict(JsonNode result, Measurement policy) {
    if (!judged) {
      return new Verdict(Map.of(), List.of(), List.of(Validity.NO_HOST_MEASUREMENT));
    }
    return MeasurementValidity.judge(measurement, checks, result, policy);
  }

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
      return new HostReading(m, null, true, SampleChecks.of(uuids, rounds));
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
