package org.llenergymeasure.campaign.activities.measurement;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What the host itself measured of one run attempt, from the GPU readings taken while the run was
 * in await (the {@code hostMeasurement} of a ledger line). The host's window is the whole await: it
 * includes the run's start-up (e.g. loading a model), which a run's own energy figure usually does
 * not. A value that could not be measured is null, never invented.
 *
 * @param method {@code counter} (every GPU's energy is its NVML energy counter's difference) or
 *     {@code integrated} (at least one GPU had no counter: its power readings were integrated over
 *     time, which misses what happened between readings)
 * @param energyJ the run's GPUs together; null when any GPU's energy is unknown
 * @param durationS from the first to the last reading
 * @param meanPowerW energyJ / durationS
 * @param peakPowerW the highest sum of the GPUs' power readings taken together
 * @param peakTemperatureC the hottest reading of any GPU
 * @param thermalThrottleS time during which any GPU reported a thermal throttle reason
 * @param throttleReasons every throttle reason any reading reported (e.g. SwPowerCap)
 * @param idlePowerW the GPUs' power together when routed, before the run started; null unknown
 * @param powerLimitW the GPUs' enforced power limits together; null unknown
 * @param samples how many rounds of readings there were
 * @param window the energy over the run's own measurement window, when its result reports one (like
 *     for like with the run's own energy figure); null when it reports none. Added after the other
 *     fields: lines written before it have none.
 *     <p>{@code energyAdjustedJ} (in the JSON after {@code window}, also per GPU): energyJ minus
 *     idlePowerW times durationS, the energy above what the GPUs drew idle at routing; null when
 *     either is unknown. Derived, so lines written before it read with it.
 */
@JsonPropertyOrder({
  "method",
  "energyJ",
  "durationS",
  "meanPowerW",
  "peakPowerW",
  "peakTemperatureC",
  "thermalThrottleS",
  "throttleReasons",
  "idlePowerW",
  "powerLimitW",
  "samples",
  "gpus",
  "window",
  "energyAdjustedJ"
})
@JsonIgnoreProperties(value = "energyAdjustedJ", allowGetters = true)
public record HostMeasurement(
    String method,
    Double energyJ,
    double durationS,
    Double meanPowerW,
    Double peakPowerW,
    Integer peakTemperatureC,
    double thermalThrottleS,
    List<String> throttleReasons,
    Double idlePowerW,
    Double powerLimitW,
    int samples,
    List<Gpu> gpus,
    MeasuredWindow window) {

  public static final String COUNTER = "counter";
  public static final String INTEGRATED = "integrated";

  public HostMeasurement {
    throttleReasons = throttleReasons == null ? List.of() : List.copyOf(throttleReasons);
    gpus = gpus == null ? List.of() : List.copyOf(gpus);
  }

  /** The GPUs' energy above their idle power over the await (see above). */
  @JsonProperty("energyAdjustedJ")
  public Double energyAdjustedJ() {
    return adjusted(energyJ, idlePowerW, durationS);
  }

  /** {@code energyJ - idlePowerW * durationS}; null when any of them is unknown. */
  public static Double adjusted(Double energyJ, Double idlePowerW, Double durationS) {
    return energyJ == null || idlePowerW == null || durationS == null
        ? null
        : energyJ - idlePowerW * durationS;
  }

  /** This measurement with {@code w} as its window (its adjusted energy by this idle power). */
  public HostMeasurement withWindow(MeasuredWindow w) {
    return new HostMeasurement(
        method,
        energyJ,
        durationS,
        meanPowerW,
        peakPowerW,
        peakTemperatureC,
        thermalThrottleS,
        throttleReasons,
        idlePowerW,
        powerLimitW,
        samples,
        gpus,
        w == null ? null : w.adjustedBy(idlePowerW));
  }

  /** The window's energy when the host measured one, else null (not a field of the JSON). */
  @JsonIgnore
  public Double windowEnergyJ() {
    return window == null ? null : window.energyJ();
  }

  /** One GPU's share; fields as above, for this GPU alone. Method null: no energy at all. */
  @JsonPropertyOrder({
    "uuid",
    "method",
    "energyJ",
    "durationS",
    "meanPowerW",
    "peakPowerW",
    "peakTemperatureC",
    "thermalThrottleS",
    "idlePowerW",
    "powerLimitW",
    "samples",
    "energyAdjustedJ"
  })
  @JsonIgnoreProperties(value = "energyAdjustedJ", allowGetters = true)
  public record Gpu(
      String uuid,
      String method,
      Double energyJ,
      double durationS,
      Double meanPowerW,
      Double peakPowerW,
      Integer peakTemperatureC,
      double thermalThrottleS,
      Double idlePowerW,
      Double powerLimitW,
      int samples) {

    /** This GPU's energy above its own idle power at routing, over its readings. */
    @JsonProperty("energyAdjustedJ")
    public Double energyAdjustedJ() {
      return adjusted(energyJ, idlePowerW, durationS);
    }
  }
}
