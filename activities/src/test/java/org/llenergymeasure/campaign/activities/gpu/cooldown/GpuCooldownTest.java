package org.llenergymeasure.campaign.activities.gpu.cooldown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.workflows.host.CooldownRequest;
import org.llenergymeasure.campaign.workflows.host.CooldownResult;

class GpuCooldownTest {

  private static final String A = "GPU-aaaa";
  private static final String B = "GPU-bbbb";

  private final AtomicLong now = new AtomicLong(1_000_000);

  private GpuCooldown cooldown(GpuThermometer thermometer) {
    Clock moving =
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return Instant.ofEpochMilli(now.get());
          }
        };
    return new GpuCooldown(
        GpuSensor.of(thermometer),
        GpuOccupancy.unknown(),
        Duration.ofSeconds(5),
        moving,
        d -> now.addAndGet(d.toMillis()));
  }

  @Test
  void waitsUntilEveryWatchedGpuIsCoolIgnoringOthers() {
    int[] reads = {0};
    // A cools 60, 50, 45; B is another run's GPU and stays hot.
    GpuThermometer t =
        () -> Optional.of(Map.of(A, new int[] {60, 50, 45}[Math.min(reads[0]++, 2)], B, 90));
    List<Map<String, Integer>> seen = new ArrayList<>();
    CooldownResult r =
        cooldown(t)
            .cooldown(
                new CooldownRequest(
                    "x.c1", List.of(A), 45, Duration.ofMinutes(15), Map.of(), null, null),
                seen::add);
    assertTrue(r.reached());
    assertEquals(Map.of(A, 45), r.temperaturesC());
    assertEquals(10_000, r.waitedMillis(), "two polls of 5 s");
    assertEquals(
        List.of(Map.of(A, 60), Map.of(A, 50), Map.of(A, 45)), seen, "every reading is reported");
  }

  @Test
  void givesUpAtTheTimeoutWithoutFailing() {
    CooldownResult r =
        cooldown(() -> Optional.of(Map.of(A, 70, B, 50)))
            .cooldown(
                new CooldownRequest(
                    "x.c1", List.of(A, B), 45, Duration.ofSeconds(60), Map.of(), null, null),
                m -> {});
    assertFalse(r.reached());
    assertEquals(60_000, r.waitedMillis());
    assertTrue(
        r.note().startsWith("timed out after PT1M with the hottest GPU at 70 °C (limit 45 °C)"),
        r.note());
  }

  @Test
  void noSensorMeansNoCooldown() {
    CooldownResult r =
        cooldown(Optional::empty)
            .cooldown(
                new CooldownRequest(
                    "x.c1", List.of(A), 45, Duration.ofMinutes(15), Map.of(), null, null),
                m -> {});
    assertTrue(r.reached());
    assertEquals(0, r.waitedMillis());
    assertTrue(r.note().startsWith("no GPU temperature sensor"), r.note());
  }

  @Test
  void simulatedHostReadsTemperatureCsvOnEveryPollAndHasNoSensorWithoutIt(@TempDir Path dir)
      throws Exception {
    FileThermometer t = new FileThermometer(dir);
    assertEquals(Optional.empty(), t.read());
    Files.writeString(dir.resolve("temperature.csv"), "GPU-aaaa, 41\nGPU-bbbb, [N/A]\n");
    assertEquals(Optional.of(Map.of(A, 41)), t.read());
    Files.writeString(dir.resolve("temperature.csv"), "GPU-aaaa, 39\n");
    assertEquals(Optional.of(Map.of(A, 39)), t.read());
  }

  @Test
  void malformedTemperatureLinesSayWhereAndWhat() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> TemperatureCsv.parse("GPU-aaaa, 41\nGPU-bbbb, hot\n", "t.csv"));
    assertEquals(
        "t.csv:2: temperature `hot` of GPU-bbbb is not a whole number of °C", e.getMessage());
  }
}
