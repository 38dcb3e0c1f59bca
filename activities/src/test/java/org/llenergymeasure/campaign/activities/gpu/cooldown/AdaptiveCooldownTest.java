package org.llenergymeasure.campaign.activities.gpu.cooldown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.workflows.host.CooldownRequest;
import org.llenergymeasure.campaign.workflows.host.CooldownResult;
import org.llenergymeasure.campaign.workflows.host.IdleGpu;

/** The idle-baseline cooldown with scripted readings, a 1 s poll and a clock that takes no time. */
class AdaptiveCooldownTest {

  private static final String A = "GPU-aaaa";
  private static final String B = "GPU-bbbb";

  /** Idle at 35 °C and 70 W; δ = 2 °C, margin 15 W: cool at ≤ 37 °C and ≤ 85 W. */
  private static final IdleGpu IDLE_A = new IdleGpu(35, 70.0, 5, 0);

  private final AtomicLong now = new AtomicLong(0);

  private final Clock clock =
      new Clock() {
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
          return Instant.ofEpochMilli(now.get());
        }
      };

  /** Reading i is taken at i seconds (one poll per second); the last one repeats. */
  private GpuSensor script(Map<String, GpuReading>... readings) {
    int[] i = {0};
    return () -> Optional.of(readings[Math.min(i[0]++, readings.length - 1)]);
  }

  private GpuCooldown cooldown(GpuSensor sensor, GpuOccupancy occupancy) {
    return new GpuCooldown(
        sensor, occupancy, Duration.ofSeconds(1), clock, d -> now.addAndGet(d.toMillis()));
  }

  private static GpuOccupancy nobody() {
    return uuids -> Optional.of(Set.of());
  }

  private static CooldownRequest idle(
      Integer max, Map<String, IdleGpu> idle, Duration timeout, String... uuids) {
    return new CooldownRequest("x.c1", List.of(uuids), max, timeout, idle, 2, 15);
  }

  private static Map<String, GpuReading> a(int c, double w) {
    return Map.of(A, new GpuReading(c, w));
  }

  @Test
  void waitsForTemperatureAndPowerBackWithinTheirMarginsOfIdle() {
    // 0 s: hot and loaded; 1 s: 45 °C; 2 s: 37 °C but 90 W (> 85); 3 s: 37 °C, 84 W: both in.
    GpuSensor sensor = script(a(55, 300), a(45, 120), a(37, 90), a(37, 84), a(36, 80));
    CooldownResult r =
        cooldown(sensor, nobody())
            .cooldown(idle(null, Map.of(A, IDLE_A), Duration.ofMinutes(15), A), m -> {});
    assertTrue(r.reached(), r.note());
    assertEquals(3_000, r.waitedMillis());
    assertEquals(Map.of(A, 37), r.temperaturesC());
    assertEquals(
        "GPUs back to idle after 3.0 s: GPU-aaaa 37 °C (idle 35), 84 W (idle 70 W)", r.note());
  }

  @Test
  void powerIsNotAskedOfAGpuThatAProcessHolds() {
    // A CUDA context keeps 150 W: only the temperature can come back.
    GpuSensor sensor = script(a(45, 150), a(37, 150));
    CooldownResult held =
        cooldown(sensor, uuids -> Optional.of(Set.of(A)))
            .cooldown(idle(null, Map.of(A, IDLE_A), Duration.ofMinutes(15), A), m -> {});
    assertTrue(held.reached());
    assertEquals(1_000, held.waitedMillis());

    now.set(0);
    CooldownResult free =
        cooldown(script(a(45, 150), a(37, 150)), nobody())
            .cooldown(idle(null, Map.of(A, IDLE_A), Duration.ofSeconds(10), A), m -> {});
    assertFalse(free.reached(), "no process: 150 W is not idle");
    assertEquals(10_000, free.waitedMillis());
    assertEquals(
        "timed out after PT10S; still waiting for GPU-aaaa 150 W > idle 70 +15 W; going on",
        free.note());
  }

  @Test
  void unknownOccupancySkipsThePowerCondition() {
    CooldownResult r =
        cooldown(script(a(37, 150)), GpuOccupancy.unknown())
            .cooldown(idle(null, Map.of(A, IDLE_A), Duration.ofMinutes(1), A), m -> {});
    assertTrue(r.reached());
    assertEquals(0, r.waitedMillis());
  }

  @Test
  void anAbsoluteLimitBelowIdlePlusDeltaStillApplies() {
    // 37 °C is idle + 2, but the file also says ≤ 36 °C: that is reached at 2 s.
    GpuSensor sensor = script(a(40, 80), a(37, 80), a(36, 80));
    CooldownResult r =
        cooldown(sensor, nobody())
            .cooldown(idle(36, Map.of(A, IDLE_A), Duration.ofMinutes(15), A), m -> {});
    assertTrue(r.reached());
    assertEquals(2_000, r.waitedMillis());
  }

  @Test
  void timingOutNamesEveryGpuStillWaitedFor() {
    GpuSensor sensor = script(Map.of(A, new GpuReading(50, 200.0), B, new GpuReading(39, 75.0)));
    Map<String, IdleGpu> idle = Map.of(A, IDLE_A, B, new IdleGpu(36, 72.0, 5, 0));
    CooldownResult r =
        cooldown(sensor, nobody()).cooldown(idle(null, idle, Duration.ofSeconds(5), A, B), m -> {});
    assertFalse(r.reached());
    assertEquals(5_000, r.waitedMillis(), "five polls of one second");
    assertEquals(
        "timed out after PT5S; still waiting for GPU-aaaa 50 °C > idle 35 +2 °C, GPU-aaaa 200 W > idle 70 +15 W,"
            + " GPU-bbbb 39 °C > idle 36 +2 °C; going on",
        r.note());
  }

  @Test
  void aGpuWithoutBaselineIsNamedAndOnlyTheLimitHoldsIt() {
    GpuSensor sensor = script(Map.of(A, new GpuReading(37, 80.0), B, new GpuReading(44, null)));
    CooldownResult r =
        cooldown(sensor, nobody())
            .cooldown(idle(45, Map.of(A, IDLE_A), Duration.ofMinutes(1), A, B), m -> {});
    assertTrue(r.reached());
    assertTrue(r.note().endsWith("; no idle baseline for GPU-bbbb"), r.note());
  }

  @Test
  void withoutBaselineAndWithoutLimitThereIsNothingToWaitFor() {
    CooldownResult r =
        cooldown(script(a(80, 400)), nobody())
            .cooldown(idle(null, Map.of(), Duration.ofMinutes(1), A), m -> {});
    assertTrue(r.reached());
    assertEquals(0, r.waitedMillis());
    assertEquals(
        "no idle baseline for the run's GPUs and no maxGpuTemperatureC; no cooldown", r.note());
  }

  @Test
  void theFileSensorReadsAnOptionalPowerColumn() {
    assertEquals(
        Map.of(A, new GpuReading(41, 72.5), B, new GpuReading(39, null)),
        TemperatureCsv.parseReadings("GPU-aaaa, 41, 72.5\nGPU-bbbb, 39, [N/A]\n", "t.csv"));
    assertEquals(Map.of(A, 41), TemperatureCsv.parse("GPU-aaaa, 41, 72.5\n", "t.csv"));
  }
}
