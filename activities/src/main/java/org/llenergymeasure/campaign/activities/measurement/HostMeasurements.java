package org.llenergymeasure.campaign.activities.measurement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.llenergymeasure.campaign.activities.gpu.telemetry.GpuSample;
import org.llenergymeasure.campaign.activities.gpu.telemetry.ThrottleReasons;

/** The arithmetic from readings to a {@link HostMeasurement}; no I/O. */
public final class HostMeasurements {

  private HostMeasurements() {}

  /**
   * The measurement of {@code uuids} over {@code rounds} (in any order), with {@code idle} (may be
   * null) as the reference taken at routing. Null when there are no rounds at all.
   */
  public static HostMeasurement of(List<String> uuids, List<SampleRound> rounds, SampleRound idle) {
    List<SampleRound> ordered = new ArrayList<>(rounds);
    ordered.removeIf(r -> SampleRound.IDLE.equals(r.phase()));
    if (ordered.isEmpty()) {
      return null;
    }
    ordered.sort(Comparator.comparingLong(SampleRound::atMillis));
    Map<String, Double> idleByGpu = new LinkedHashMap<>();
    if (idle != null) {
      idle.gpus().forEach(s -> idleByGpu.put(s.uuid(), s.powerWatts()));
    }
    List<HostMeasurement.Gpu> gpus = new ArrayList<>();
    for (String uuid : uuids) {
      gpus.add(gpu(uuid, series(uuid, ordered), idleByGpu.get(uuid)));
    }
    Double energy = sumOrNull(gpus.stream().map(HostMeasurement.Gpu::energyJ).toList());
    double duration =
        seconds(ordered.get(ordered.size() - 1).atMillis() - ordered.get(0).atMillis());
    boolean counted = gpus.stream().allMatch(g -> HostMeasurement.COUNTER.equals(g.method()));
    Integer peakTemp =
        gpus.stream()
            .map(HostMeasurement.Gpu::peakTemperatureC)
            .filter(t -> t != null)
            .max(Integer::compare)
            .orElse(null);
    TreeSet<String> reasons = new TreeSet<>();
    for (SampleRound r : ordered) {
      for (GpuSample s : r.gpus()) {
        if (s.throttleReasons() != null) {
          reasons.addAll(ThrottleReasons.names(s.throttleReasons()));
        }
      }
    }
    return new HostMeasurement(
        energy == null ? null : counted ? HostMeasurement.COUNTER : HostMeasurement.INTEGRATED,
        energy,
        duration,
        energy == null || duration <= 0 ? null : energy / duration,
        peakRoundPower(uuids, ordered),
        peakTemp,
        throttledSeconds(ordered, uuids),
        List.copyOf(reasons),
        sumOrNull(uuids.stream().map(idleByGpu::get).toList()),
        sumOrNull(gpus.stream().map(HostMeasurement.Gpu::powerLimitW).toList()),
        ordered.size(),
        gpus,
        null);
  }

  private static List<GpuSample> series(String uuid, List<SampleRound> ordered) {
    List<GpuSample> out = new ArrayList<>();
    for (SampleRound r : ordered) {
      for (GpuSample s : r.gpus()) {
        if (uuid.equals(s.uuid())) {
          // The round's time, not the sample's: all GPUs of a round share one instant.
          out.add(
              new GpuSample(
                  s.uuid(),
                  r.atMillis(),
                  s.energyMillijoules(),
                  s.powerWatts(),
                  s.temperatureC(),
                  s.smClockMhz(),
                  s.throttleReasons(),
                  s.powerLimitWatts()));
        }
      }
    }
    return out;
  }

  private static HostMeasurement.Gpu gpu(String uuid, List<GpuSample> s, Double idle) {
    double duration =
        s.size() < 2 ? 0 : seconds(s.get(s.size() - 1).atMillis() - s.get(0).atMillis());
    String method = null;
    Double energy = null;
    if (s.size() >= 2 && s.stream().allMatch(x -> x.energyMillijoules() != null)) {
      // The counter only grows while the driver stays loaded; a drop means it was reset, and the
      // difference then means nothing.
      long delta = s.get(s.size() - 1).energyMillijoules() - s.get(0).energyMillijoules();
      boolean monotonic = true;
      for (int i = 1; i < s.size(); i++) {
        monotonic &= s.get(i).energyMillijoules() >= s.get(i - 1).energyMillijoules();
      }
      if (monotonic) {
        method = HostMeasurement.COUNTER;
        energy = delta / 1000.0;
      }
    } else if (s.size() >= 2 && s.stream().allMatch(x -> x.powerWatts() != null)) {
      double joules = 0;
      for (int i = 1; i < s.size(); i++) {
        double dt = seconds(s.get(i).atMillis() - s.get(i - 1).atMillis());
        joules += (s.get(i).powerWatts() + s.get(i - 1).powerWatts()) / 2 * dt;
      }
      method = HostMeasurement.INTEGRATED;
      energy = joules;
    }
    Double peakPower =
        s.stream()
            .map(GpuSample::powerWatts)
            .filter(p -> p != null)
            .max(Double::compare)
            .orElse(null);
    Integer peakTemp =
        s.stream()
            .map(GpuSample::temperatureC)
            .filter(t -> t != null)
            .max(Integer::compare)
            .orElse(null);
    Double limit = null;
    for (GpuSample x : s) {
      limit = x.powerLimitWatts() != null ? x.powerLimitWatts() : limit;
    }
    double throttled = 0;
    for (int i = 1; i < s.size(); i++) {
      if (s.get(i - 1).thermallyThrottled()) {
        throttled += seconds(s.get(i).atMillis() - s.get(i - 1).atMillis());
      }
    }
    return new HostMeasurement.Gpu(
        uuid,
        method,
        energy,
        duration,
        energy == null || duration <= 0 ? null : energy / duration,
        peakPower,
        peakTemp,
        throttled,
        idle,
        limit,
        s.size());
  }

  /** The highest sum of power over rounds in which every GPU has a power reading. */
  private static Double peakRoundPower(List<String> uuids, List<SampleRound> ordered) {
    Double peak = null;
    for (SampleRound r : ordered) {
      double sum = 0;
      int seen = 0;
      for (GpuSample s : r.gpus()) {
        if (uuids.contains(s.uuid()) && s.powerWatts() != null) {
          sum += s.powerWatts();
          seen++;
        }
      }
      if (seen == uuids.size() && (peak == null || sum > peak)) {
        peak = sum;
      }
    }
    return peak;
  }

  /** A round in which any GPU throttles for heat counts until the next round. */
  private static double throttledSeconds(List<SampleRound> ordered, List<String> uuids) {
    double total = 0;
    for (int i = 1; i < ordered.size(); i++) {
      boolean hot =
          ordered.get(i - 1).gpus().stream()
              .anyMatch(s -> uuids.contains(s.uuid()) && s.thermallyThrottled());
      if (hot) {
        total += seconds(ordered.get(i).atMillis() - ordered.get(i - 1).atMillis());
      }
    }
    return total;
  }

  private static Double sumOrNull(List<Double> values) {
    if (values.isEmpty()) {
      return null;
    }
    double sum = 0;
    for (Double v : values) {
      if (v == null) {
        return null;
      }
      sum += v;
    }
    return sum;
  }

  private static double seconds(long millis) {
    return millis / 1000.0;
  }
}
