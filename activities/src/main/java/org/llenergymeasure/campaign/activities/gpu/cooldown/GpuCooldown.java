package org.llenergymeasure.campaign.activities.gpu.cooldown;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.llenergymeasure.campaign.activities.WorkerShutdownException;
import org.llenergymeasure.campaign.workflows.host.CooldownRequest;
import org.llenergymeasure.campaign.workflows.host.CooldownResult;
import org.llenergymeasure.campaign.workflows.host.IdleGpu;

/**
 * Waits until a run's GPUs are cool again: at or below the request's absolute limit, and with an
 * idle baseline within δ of each GPU's idle temperature and — while no compute process holds the
 * GPU, since a CUDA context alone keeps the power up — within a margin of its idle power. Reads the
 * sensor every poll, reports each reading (the activity heartbeats it), and gives up at the
 * request's timeout without failing. Sleeping and the clock are injected so tests take no real
 * time.
 */
public final class GpuCooldown {

  /** Sleeps between polls; tests advance a fake clock instead. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /**
   * One second: a GPU that was back at idle 6.5 s after a 690 W load (H200) is seen at 7 s, not 10
   * s. A reading through NVML takes microseconds, through nvidia-smi some 100 ms.
   */
  public static final Duration DEFAULT_POLL = Duration.ofSeconds(1);

  private final GpuSensor sensor;
  private final GpuOccupancy occupancy;
  private final Duration poll;
  private final Clock clock;
  private final Sleeper sleeper;

  public GpuCooldown(
      GpuSensor sensor, GpuOccupancy occupancy, Duration poll, Clock clock, Sleeper sleeper) {
    this.sensor = sensor;
    this.occupancy = occupancy;
    this.poll = poll;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** A worker's cooldown: a reading every {@link #DEFAULT_POLL} in real time. */
  public static GpuCooldown realTime(GpuSensor sensor, GpuOccupancy occupancy) {
    return new GpuCooldown(sensor, occupancy, DEFAULT_POLL, Clock.systemUTC(), GpuCooldown::sleep);
  }

  private static void sleep(Duration d) throws InterruptedException {
    Thread.sleep(d.toMillis());
  }

  /**
   * Polls the sensor until the GPUs are cool again or the request's timeout has passed.
   *
   * @param onReading called with every reading (°C by UUID); the activity heartbeats there and a
   *     cancellation thrown from it ends the wait
   */
  public CooldownResult cooldown(
      CooldownRequest request, Consumer<Map<String, Integer>> onReading) {
    boolean idleMode = request.idleDeltaC() != null;
    long start = clock.millis();
    long deadline = start + request.timeout().toMillis();
    while (true) {
      Optional<Map<String, GpuReading>> all = sensor.read();
      long waited = clock.millis() - start;
      if (all.isEmpty()) {
        return new CooldownResult(
            true, Map.of(), waited, "no GPU temperature sensor on this host; no cooldown");
      }
      Map<String, GpuReading> watched = new LinkedHashMap<>();
      Map<String, Integer> temperatures = new LinkedHashMap<>();
      for (String uuid : request.uuids()) {
        GpuReading r = all.get().get(uuid);
        if (r != null && r.temperatureC() != null) {
          watched.put(uuid, r);
          temperatures.put(uuid, r.temperatureC());
        }
      }
      onReading.accept(temperatures);
      if (watched.isEmpty()) {
        return new CooldownResult(
            true, temperatures, waited, "no temperature reading for the run's GPUs; no cooldown");
      }
      if (request.maxTemperatureC() == null && request.idle().isEmpty()) {
        return new CooldownResult(
            true,
            temperatures,
            waited,
            "no idle baseline for the run's GPUs and no maxGpuTemperatureC; no cooldown");
      }
      List<String> waitingFor = waitingFor(request, watched);
      int hottest = temperatures.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
      if (waitingFor.isEmpty()) {
        String note =
            idleMode
                ? "GPUs back to idle after "
                    + seconds(waited)
                    + ": "
                    + describe(request, watched)
                    + noBaseline(request, watched)
                : "GPUs at "
                    + hottest
                    + " °C ≤ "
                    + request.maxTemperatureC()
                    + " °C after "
                    + waited / 1000
                    + " s";
        return new CooldownResult(true, temperatures, waited, note);
      }
      if (clock.millis() >= deadline) {
        String note =
            idleMode
                ? "timed out after "
                    + request.timeout()
                    + "; still waiting for "
                    + String.join(", ", waitingFor)
                    + noBaseline(request, watched)
                    + "; going on"
                : "timed out after "
                    + request.timeout()
                    + " with the hottest GPU at "
                    + hottest
                    + " °C (limit "
                    + request.maxTemperatureC()
                    + " °C); going on";
        return new CooldownResult(false, temperatures, waited, note);
      }
      try {
        sleeper.sleep(poll);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        // The worker is stopping: the activity's retry on the next worker waits again.
        throw new WorkerShutdownException("cooldown interrupted: the worker is shutting down", e);
      }
    }
  }

  /** What each GPU still lacks, e.g. "GPU-a 41 °C > idle 35 +2 °C"; empty when all are there. */
  private List<String> waitingFor(CooldownRequest request, Map<String, GpuReading> watched) {
    Optional<Set<String>> held =
        request.idle().isEmpty() ? Optional.empty() : occupancy.occupied(watched.keySet());
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, GpuReading> e : watched.entrySet()) {
      String uuid = e.getKey();
      int t = e.getValue().temperatureC();
      Integer max = request.maxTemperatureC();
      if (max != null && t > max) {
        out.add(uuid + " " + t + " °C > " + max + " °C");
      }
      IdleGpu idle = request.idle().get(uuid);
      if (idle == null) {
        continue;
      }
      if (t > idle.temperatureC() + request.idleDeltaC()) {
        out.add(
            uuid
                + " "
                + t
                + " °C > idle "
                + idle.temperatureC()
                + " +"
                + request.idleDeltaC()
                + " °C");
      }
      Double power = e.getValue().powerWatts();
      boolean powerApplies =
          request.idlePowerMarginW() != null
              && idle.powerWatts() != null
              && power != null
              && held.isPresent()
              && !held.get().contains(uuid);
      if (powerApplies && power > idle.powerWatts() + request.idlePowerMarginW()) {
        out.add(
            uuid
                + " "
                + watts(power)
                + " > idle "
                + String.format(Locale.ROOT, "%.0f", idle.powerWatts())
                + " +"
                + request.idlePowerMarginW()
                + " W");
      }
    }
    return out;
  }

  private static String describe(CooldownRequest request, Map<String, GpuReading> watched) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, GpuReading> e : watched.entrySet()) {
      IdleGpu idle = request.idle().get(e.getKey());
      StringBuilder sb =
          new StringBuilder(e.getKey())
              .append(' ')
              .append(e.getValue().temperatureC())
              .append(" °C");
      if (idle != null) {
        sb.append(" (idle ").append(idle.temperatureC()).append(')');
      }
      if (e.getValue().powerWatts() != null) {
        sb.append(", ").append(watts(e.getValue().powerWatts()));
        if (idle != null && idle.powerWatts() != null) {
          sb.append(" (idle ").append(watts(idle.powerWatts())).append(')');
        }
      }
      parts.add(sb.toString());
    }
    return String.join("; ", parts);
  }

  private static String noBaseline(CooldownRequest request, Map<String, GpuReading> watched) {
    List<String> missing =
        watched.keySet().stream().filter(u -> !request.idle().containsKey(u)).toList();
    return missing.isEmpty() ? "" : "; no idle baseline for " + String.join(", ", missing);
  }

  private static String watts(double w) {
    return String.format(Locale.ROOT, "%.0f W", w);
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
