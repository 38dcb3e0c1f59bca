package org.llenergymeasure.campaign.activities.measurement;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What the host measured over the run's own measurement window (the {@code window} of a ledger
 * line's {@code hostMeasurement}): the window the run's result reports for its own energy figure,
 * so that the two can be compared like for like. Present only when the result reports a window;
 * when the host cannot measure over it, {@code energyJ} is null and {@code note} says why: a wrong
 * number is never given.
 *
 * @param source the result fields the window came from ({@code windowStartMs/windowEndMs} or {@code
 *     start_time/end_time})
 * @param startMs the window's start, epoch milliseconds; null when the result's value was not
 *     usable
 * @param endMs the window's end, epoch milliseconds; null when not usable
 * @param method {@code counter} (every GPU's energy counter, linearly interpolated at the edges) or
 *     {@code integrated} (at least one GPU had only power readings: power integrated over the
 *     window); null when there is no energy
 * @param energyJ the run's GPUs together over the window; null when not measurable (see note)
 * @param durationS endMs - startMs in seconds; null when the window was not usable
 * @param meanPowerW energyJ / durationS
 * @param samples how many rounds of readings lie inside the window (edges included)
 * @param edges how the edges were handled: {@link #INTERPOLATED} (at least one edge lies between
 *     two readings: the value there is estimated linearly between them) or {@link #EXACT} (a
 *     reading lies on each edge)
 * @param edgeGapsS the time between the two readings that bracket the start and the end edge
 *     (largest over the GPUs); 0 where a reading lies on the edge
 * @param interpolatedJ the part of energyJ that lies between an edge and the reading next to it
 *     inside the window, i.e. that comes from interpolation (the rest is the counter's exact
 *     difference between readings)
 * @param note why there is no energy, or how the window's time was read; null otherwise
 * @param gpus each GPU's share
 * @param energyAdjustedJ energyJ minus the idle power measured at routing (the GPUs together) times
 *     durationS; null when either is unknown. Added after the other fields.
 */
@JsonPropertyOrder({
  "source",
  "startMs",
  "endMs",
  "method",
  "energyJ",
  "durationS",
  "meanPowerW",
  "samples",
  "edges",
  "edgeGapsS",
  "interpolatedJ",
  "note",
  "gpus",
  "energyAdjustedJ"
})
public record MeasuredWindow(
    String source,
    Long startMs,
    Long endMs,
    String method,
    Double energyJ,
    Double durationS,
    Double meanPowerW,
    int samples,
    String edges,
    List<Double> edgeGapsS,
    Double interpolatedJ,
    String note,
    List<Gpu> gpus,
    Double energyAdjustedJ) {

  public static final String INTERPOLATED = "interpolated";
  public static final String EXACT = "exact";

  public MeasuredWindow {
    edgeGapsS = edgeGapsS == null ? List.of() : List.copyOf(edgeGapsS);
    gpus = gpus == null ? List.of() : List.copyOf(gpus);
  }

  /** A window without its idle-adjusted energy (as written before it existed). */
  public MeasuredWindow(
      String source,
      Long startMs,
      Long endMs,
      String method,
      Double energyJ,
      Double durationS,
      Double meanPowerW,
      int samples,
      String edges,
      List<Double> edgeGapsS,
      Double interpolatedJ,
      String note,
      List<Gpu> gpus) {
    this(
        source,
        startMs,
        endMs,
        method,
        energyJ,
        durationS,
        meanPowerW,
        samples,
        edges,
        edgeGapsS,
        interpolatedJ,
        note,
        gpus,
        null);
  }

  /** This window with its energy adjusted by {@code idlePowerW} (null: unknown idle power). */
  public MeasuredWindow adjustedBy(Double idlePowerW) {
    return new MeasuredWindow(
        source,
        startMs,
        endMs,
        method,
        energyJ,
        durationS,
        meanPowerW,
        samples,
        edges,
        edgeGapsS,
        interpolatedJ,
        note,
        gpus,
        HostMeasurement.adjusted(energyJ, idlePowerW, durationS));
  }

  /** A window the host gives no energy for, with the reason. */
  static MeasuredWindow unmeasured(String source, Long startMs, Long endMs, String note) {
    Double duration =
        startMs == null || endMs == null || endMs <= startMs ? null : (endMs - startMs) / 1000.0;
    return new MeasuredWindow(
        source, startMs, endMs, null, null, duration, null, 0, null, null, null, note, null);
  }

  /** One GPU's energy over the window; method and energy null when it has none. */
  @JsonPropertyOrder({"uuid", "method", "energyJ"})
  public record Gpu(String uuid, String method, Double energyJ) {}
}
