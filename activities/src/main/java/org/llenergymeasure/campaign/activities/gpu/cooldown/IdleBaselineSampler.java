package org.llenergymeasure.campaign.activities.gpu.cooldown;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.llenergymeasure.campaign.activities.WorkerShutdownException;
import org.llenergymeasure.campaign.workflows.host.IdleBaselineRequest;
import org.llenergymeasure.campaign.workflows.host.IdleBaselineResult;
import org.llenergymeasure.campaign.workflows.host.IdleGpu;

/**
 * Measures a host's GPUs at rest: a few readings of every GPU, the median temperature and power of
 * each (a median, so one reading taken while a driver task woke the GPU does not move it).
 */
public final class IdleBaselineSampler {

  private final GpuSensor sensor;
  private final GpuOccupancy occupancy;
  private final GpuCooldown.Sleeper sleeper;

  public IdleBaselineSampler(
      GpuSensor sensor, GpuOccupancy occupancy, GpuCooldown.Sleeper sleeper) {
    this.sensor = sensor;
    this.occupancy = occupancy;
    this.sleeper = sleeper;
  }

  /**
   * Takes the request's readings of every GPU and returns each GPU's median temperature and power.
   *
   * @param onSample called after every reading with how many were taken (the activity heartbeats)
   */
  public IdleBaselineResult measure(
      String hostId, IdleBaselineRequest request, Consumer<Integer> onSample) {
    int samples = Math.max(1, request.samples());
    Map<String, List<Integer>> temps = new TreeMap<>();
    Map<String, List<Double>> powers = new TreeMap<>();
    for (int i = 0; i < samples; i++) {
      if (i > 0) {
        try {
          sleeper.sleep(request.interval());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new WorkerShutdownException(
              "idle baseline interrupted: the worker is shutting down", e);
        }
      }
      Optional<Map<String, GpuReading>> reading = sensor.read();
      if (reading.isEmpty()) {
        return new IdleBaselineResult(
            hostId, Map.of(), "no GPU temperature sensor on host " + hostId + "; no idle baseline");
      }
      reading
          .get()
          .forEach(
              (uuid, r) -> {
                if (r.temperatureC() != null) {
                  temps.computeIfAbsent(uuid, u -> new ArrayList<>()).add(r.temperatureC());
                }
                if (r.powerWatts() != null) {
                  powers.computeIfAbsent(uuid, u -> new ArrayList<>()).add(r.powerWatts());
                }
              });
      onSample.accept(i + 1);
    }
    Set<String> held = occupancy.occupied(temps.keySet()).orElse(Set.of());
    Map<String, IdleGpu> gpus = new LinkedHashMap<>();
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> e : temps.entrySet()) {
      String uuid = e.getKey();
      int t = medianInt(e.getValue());
      List<Double> p = powers.get(uuid);
      Double w = p == null ? null : median(p);
      int processes = held.contains(uuid) ? 1 : 0;
      gpus.put(uuid, new IdleGpu(t, w, e.getValue().size(), processes));
      parts.add(
          uuid
              + " "
              + t
              + " °C"
              + (w == null ? "" : String.format(Locale.ROOT, ", %.0f W", w))
              + (processes > 0 ? " (a process held it: not truly idle)" : ""));
    }
    String note =
        gpus.isEmpty()
            ? "no temperature reading on host " + hostId + "; no idle baseline"
            : "idle over " + samples + " reading(s): " + String.join("; ", parts);
    return new IdleBaselineResult(hostId, gpus, note);
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /**
   * The median, rounded up between two middles (a baseline a little warm waits less, never more).
   */
  static int medianInt(List<Integer> values) {
    List<Integer> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1
        ? sorted.get(n / 2)
        : (int) Math.ceil((sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0);
  }
}
