package org.llenergymeasure.campaign.activities.gpu.telemetry;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The NVML edge, scripted for tests: GPUs that draw a set power on a virtual clock. Every call to
 * {@link #sample} moves the clock on by {@code step} and each GPU's energy counter by its power
 * times that step, so readings are exact and independent of how fast the test machine is. The same
 * clock ({@link #clock}) is given to the sampler so rounds carry virtual times.
 */
public final class ScriptedGpuTelemetry implements GpuTelemetry {

  /** One simulated GPU's present state (the test may change it between readings). */
  public static final class Gpu {
    volatile Double powerWatts;
    volatile Integer temperatureC = 40;
    volatile long throttleReasons = 0;
    volatile Double powerLimitWatts = 700.0;
    volatile boolean counterSupported = true;
    volatile boolean failing = false;
    long energyMillijoules = 1_000_000_000L;

    Gpu(double powerWatts) {
      this.powerWatts = powerWatts;
    }

    public Gpu power(Double watts) {
      powerWatts = watts;
      return this;
    }

    public Gpu temperature(Integer c) {
      temperatureC = c;
      return this;
    }

    public Gpu throttle(long mask) {
      throttleReasons = mask;
      return this;
    }

    public Gpu powerLimit(Double watts) {
      powerLimitWatts = watts;
      return this;
    }

    public Gpu noEnergyCounter() {
      counterSupported = false;
      return this;
    }

    /** Its readings fail (left out of the answer, as NVML's binding does). */
    public Gpu failing(boolean fail) {
      failing = fail;
      return this;
    }
  }

  private final Map<String, Gpu> gpus = new LinkedHashMap<>();
  private final long stepMillis;
  private final String unavailable;
  private final AtomicInteger calls = new AtomicInteger();
  private final Map<String, Boolean> closed = new ConcurrentHashMap<>();
  private long nowMillis = 1_700_000_000_000L;

  private ScriptedGpuTelemetry(long stepMillis, String unavailable) {
    this.stepMillis = stepMillis;
    this.unavailable = unavailable;
  }

  /** Available GPUs; each reading is {@code stepMillis} of virtual time after the last. */
  public static ScriptedGpuTelemetry withStep(long stepMillis) {
    return new ScriptedGpuTelemetry(stepMillis, null);
  }

  public synchronized Gpu gpu(String uuid, double powerWatts) {
    return gpus.computeIfAbsent(uuid, u -> new Gpu(powerWatts));
  }

  public int calls() {
    return calls.get();
  }

  public boolean isClosed() {
    return closed.containsKey("closed");
  }

  /** The virtual clock of the readings. */
  public Clock clock() {
    ScriptedGpuTelemetry self = this;
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        synchronized (self) {
          return Instant.ofEpochMilli(nowMillis);
        }
      }
    };
  }

  @Override
  public Optional<String> unavailableReason() {
    return Optional.ofNullable(unavailable);
  }

  @Override
  public synchronized Map<String, GpuSample> sample(Collection<String> uuids) {
    calls.incrementAndGet();
    nowMillis += stepMillis;
    // Every GPU draws power all the time, read or not.
    for (Gpu g : gpus.values()) {
      if (g.powerWatts != null) {
        g.energyMillijoules += Math.round(g.powerWatts * stepMillis);
      }
    }
    Map<String, GpuSample> out = new LinkedHashMap<>();
    for (String uuid : uuids) {
      Gpu g = gpus.get(uuid);
      if (g == null || g.failing) {
        continue;
      }
      out.put(
          uuid,
          new GpuSample(
              uuid,
              nowMillis,
              g.counterSupported ? g.energyMillijoules : null,
              g.powerWatts,
              g.temperatureC,
              1980,
              g.throttleReasons,
              g.powerLimitWatts));
    }
    return out;
  }

  @Override
  public Map<String, GpuSample> sampleAll() {
    return sample(gpus.keySet());
  }

  @Override
  public void close() {
    closed.put("closed", true);
  }
}
