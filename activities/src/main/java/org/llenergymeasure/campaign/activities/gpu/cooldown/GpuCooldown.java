package org.llenergymeasure.campaign.activities.gpu.cooldown;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.llenergymeasure.campaign.activities.WorkerShutdownException;
import org.llenergymeasure.campaign.workflows.host.CooldownRequest;
import org.llenergymeasure.campaign.workflows.host.CooldownResult;

/**
 * Waits until a run's GPUs are at or below a temperature: reads the thermometer every poll,
 * reports each reading (the activity heartbeats it), and gives up at the request's timeout
 * without failing. Sleeping and the clock are injected so tests take no real time.
 */
public final class GpuCooldown {

  /** Sleeps between polls; tests advance a fake clock instead. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  public static final Duration DEFAULT_POLL = Duration.ofSeconds(5);

  private final GpuThermometer thermometer;
  private final Duration poll;
  private final Clock clock;
  private final Sleeper sleeper;

  public GpuCooldown(GpuThermometer thermometer) {
    this(thermometer, DEFAULT_POLL, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
  }

  public GpuCooldown(GpuThermometer thermometer, Duration poll, Clock clock, Sleeper sleeper) {
    this.thermometer = thermometer;
    this.poll = poll;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /**
   * @param onReading called with every reading (°C by UUID); the activity heartbeats there and a
   *     cancellation thrown from it ends the wait
   */
  public CooldownResult cooldown(CooldownRequest request, Consumer<Map<String, Integer>> onReading) {
    long start = clock.millis();
    long deadline = start + request.timeout().toMillis();
    while (true) {
      Optional<Map<String, Integer>> all = thermometer.read();
      long waited = clock.millis() - start;
      if (all.isEmpty()) {
        return new CooldownResult(true, Map.of(), waited, "no GPU temperature sensor on this host; no cooldown");
      }
      Map<String, Integer> watched = new LinkedHashMap<>();
      for (String uuid : request.uuids()) {
        Integer t = all.get().get(uuid);
        if (t != null) {
          watched.put(uuid, t);
        }
      }
      onReading.accept(watched);
      int hottest = watched.values().stream().mapToInt(Integer::intValue).max().orElse(Integer.MIN_VALUE);
      if (watched.isEmpty()) {
        return new CooldownResult(true, watched, waited, "no temperature reading for the run's GPUs; no cooldown");
      }
      if (hottest <= request.maxTemperatureC()) {
        return new CooldownResult(
            true, watched, waited, "GPUs at " + hottest + " °C ≤ " + request.maxTemperatureC() + " °C after " + waited / 1000 + " s");
      }
      if (clock.millis() >= deadline) {
        return new CooldownResult(
            false,
            watched,
            waited,
            "timed out after " + request.timeout() + " with the hottest GPU at " + hottest + " °C (limit "
                + request.maxTemperatureC() + " °C); going on");
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
}
