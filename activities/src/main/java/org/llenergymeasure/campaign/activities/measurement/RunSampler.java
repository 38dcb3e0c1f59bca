package org.llenergymeasure.campaign.activities.measurement;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.llenergymeasure.campaign.activities.AttemptFolder;
import org.llenergymeasure.campaign.activities.gpu.telemetry.GpuSample;
import org.llenergymeasure.campaign.activities.gpu.telemetry.GpuTelemetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples a run's GPUs from the host while the run is in await: one round at entry, one every
 * {@code every} on a daemon thread, one at exit, each appended to the attempt's {@link SampleLog}.
 * Telemetry never fails a run: a reading or a write that fails is logged and skipped, and the
 * measurement made of what was recorded is judged later (collect).
 */
public final class RunSampler {

  private static final Logger log = LoggerFactory.getLogger(RunSampler.class);

  /** How long closing waits for the sampling thread (it only ever waits on its latch). */
  private static final Duration JOIN = Duration.ofSeconds(10);

  private final GpuTelemetry telemetry;
  private final Duration every;
  private final Clock clock;
  private final LongSupplier monotonicMillis;

  /**
   * A sampler on {@code clock}. With the system clock, each round also records the host's monotonic
   * clock ({@link System#nanoTime}, which on Linux counts from boot, so it continues across a
   * worker restart); another clock (a test's virtual one) has no monotonic counterpart and records
   * none.
   */
  public RunSampler(GpuTelemetry telemetry, Duration every, Clock clock) {
    this(
        telemetry,
        every,
        clock,
        clock.withZone(ZoneOffset.UTC).equals(Clock.systemUTC())
            ? () -> System.nanoTime() / 1_000_000
            : null);
  }

  /**
   * A sampler on {@code clock} recording {@code monotonicMillis} (null: none) beside each round's
   * wall time.
   */
  public RunSampler(
      GpuTelemetry telemetry, Duration every, Clock clock, LongSupplier monotonicMillis) {
    if (every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException("sampling interval must be positive: " + every);
    }
    this.telemetry = telemetry;
    this.every = every;
    this.clock = clock;
    this.monotonicMillis = monotonicMillis;
  }

  /** Empty when the host can read its GPUs; otherwise why not. */
  public Optional<String> unavailableReason() {
    return telemetry.unavailableReason();
  }

  /**
   * Takes the reference reading of freshly leased GPUs (before the run starts) into {@code
   * gpu-idle.json}. Nothing when telemetry is unavailable or there are no GPUs.
   */
  public void sampleIdle(AttemptFolder folder, Collection<String> uuids) {
    if (!telemetry.available() || uuids.isEmpty()) {
      return;
    }
    try {
      new SampleLog(folder).writeIdle(round(SampleRound.IDLE, uuids));
    } catch (RuntimeException e) {
      log.warn(
          "could not record the idle reading of {} in {}: {}", uuids, folder.dir(), e.toString());
    }
  }

  /**
   * Starts sampling: the entry round now, then every {@code every} until {@link Sampling#close}
   * (which takes the exit round). A no-op handle when telemetry is unavailable or there are no
   * GPUs.
   */
  public Sampling start(AttemptFolder folder, Collection<String> uuids, String name) {
    if (!telemetry.available() || uuids.isEmpty()) {
      return Sampling.NONE;
    }
    List<String> gpus = List.copyOf(uuids);
    SampleLog samples = new SampleLog(folder);
    Running running = new Running(samples, gpus);
    running.record(SampleRound.START);
    Thread thread = new Thread(running::loop, "llem-gpu-sampler-" + name);
    thread.setDaemon(true);
    running.thread = thread;
    thread.start();
    return running;
  }

  private SampleRound round(String phase, Collection<String> uuids) {
    long at = clock.millis();
    Long mono = monotonicMillis == null ? null : monotonicMillis.getAsLong();
    Map<String, GpuSample> read = telemetry.sample(uuids);
    List<GpuSample> gpus = new ArrayList<>();
    for (String uuid : uuids) {
      GpuSample s = read.get(uuid);
      if (s != null) {
        gpus.add(s);
      }
    }
    return new SampleRound(at, phase, gpus, mono);
  }

  /** A sampling in progress; closing it stops the thread and records the exit round. */
  public interface Sampling extends AutoCloseable {

    Sampling NONE = () -> {};

    @Override
    void close();
  }

  private final class Running implements Sampling {

    private final SampleLog samples;
    private final List<String> gpus;
    private final CountDownLatch stop = new CountDownLatch(1);
    private Thread thread;

    Running(SampleLog samples, List<String> gpus) {
      this.samples = samples;
      this.gpus = gpus;
    }

    void loop() {
      try {
        // Waiting on a latch rather than sleeping: close() wakes us without an interrupt, which
        // would close the file channel under a write in progress.
        while (!stop.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
          record(SampleRound.DURING);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void record(String phase) {
      try {
        samples.append(round(phase, gpus));
      } catch (RuntimeException e) {
        log.warn("GPU sample of {} not recorded: {}", gpus, e.toString());
      }
    }

    @Override
    public void close() {
      stop.countDown();
      try {
        thread.join(JOIN.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (thread.isAlive()) {
        log.warn("GPU sampler {} did not stop within {}", thread.getName(), JOIN);
      }
      record(SampleRound.END);
    }
  }
}
