package org.llenergymeasure.campaign.activities.gpu.cooldown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.workflows.host.IdleBaselineRequest;
import org.llenergymeasure.campaign.workflows.host.IdleBaselineResult;
import org.llenergymeasure.campaign.workflows.host.IdleGpu;

class IdleBaselineSamplerTest {

  private static final String A = "GPU-aaaa";
  private static final String B = "GPU-bbbb";

  @Test
  void theBaselineIsTheMedianOfEachGpusReadings() {
    // A: 34 35 41 35 36 -> 35 °C; 70 71 95 69 70 W -> 70 W (the 95 W spike does not count).
    int[] t = {34, 35, 41, 35, 36};
    double[] w = {70, 71, 95, 69, 70};
    int[] i = {0};
    GpuSensor sensor =
        () -> {
          int k = i[0]++;
          return Optional.of(
              Map.of(A, new GpuReading(t[k], w[k]), B, new GpuReading(30 + k, null)));
        };
    List<Duration> slept = new ArrayList<>();
    List<Integer> beats = new ArrayList<>();
    IdleBaselineResult r =
        new IdleBaselineSampler(sensor, uuids -> Optional.of(Set.of(B)), slept::add)
            .measure("h1", new IdleBaselineRequest("c", 5, Duration.ofSeconds(1)), beats::add);
    assertEquals(Map.of(A, new IdleGpu(35, 70.0, 5, 0), B, new IdleGpu(32, null, 5, 1)), r.gpus());
    assertEquals(
        List.of(
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1)),
        slept);
    assertEquals(List.of(1, 2, 3, 4, 5), beats);
    assertTrue(r.note().contains("GPU-bbbb 32 °C (a process held it: not truly idle)"), r.note());
  }

  @Test
  void evenCountsRoundTheMiddleUp() {
    assertEquals(36, IdleBaselineSampler.medianInt(List.of(35, 38, 36, 34)));
    assertEquals(70.5, IdleBaselineSampler.median(List.of(71.0, 70.0)));
  }

  @Test
  void noSensorGivesNoBaseline() {
    IdleBaselineResult r =
        new IdleBaselineSampler(Optional::empty, GpuOccupancy.unknown(), d -> {})
            .measure("h1", new IdleBaselineRequest("c", 5, Duration.ofSeconds(1)), n -> {});
    assertEquals(Map.of(), r.gpus());
    assertEquals("no GPU temperature sensor on host h1; no idle baseline", r.note());
  }
}
