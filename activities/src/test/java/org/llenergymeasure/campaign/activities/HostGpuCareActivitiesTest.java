package org.llenergymeasure.campaign.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.testing.TestActivityEnvironment;
import io.temporal.testing.TestEnvironmentOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.activities.gpu.cooldown.GpuCooldown;
import org.llenergymeasure.campaign.activities.gpu.cooldown.GpuOccupancy;
import org.llenergymeasure.campaign.activities.gpu.cooldown.GpuReading;
import org.llenergymeasure.campaign.activities.gpu.cooldown.GpuSensor;
import org.llenergymeasure.campaign.activities.gpu.cooldown.IdleBaselineSampler;
import org.llenergymeasure.campaign.workflows.LlemDataConverter;
import org.llenergymeasure.campaign.workflows.host.CooldownRequest;
import org.llenergymeasure.campaign.workflows.host.CooldownResult;
import org.llenergymeasure.campaign.workflows.host.GpuCareActivities;
import org.llenergymeasure.campaign.workflows.host.IdleBaselineRequest;
import org.llenergymeasure.campaign.workflows.host.IdleBaselineResult;

/** The GPU care activities as Temporal runs them: heartbeats per reading, a broken sensor said. */
class HostGpuCareActivitiesTest {

  private static final String GPU = "GPU-0a1b2c3d-1111-4e5f-8a9b-000000000000";

  private final TestActivityEnvironment env =
      TestActivityEnvironment.newInstance(
          TestEnvironmentOptions.newBuilder()
              .setWorkflowClientOptions(
                  WorkflowClientOptions.newBuilder()
                      .setDataConverter(LlemDataConverter.create())
                      .build())
              .build());

  @AfterEach
  void close() {
    env.close();
  }

  private GpuCareActivities care(GpuSensor sensor) {
    GpuCooldown.Sleeper noWait = d -> {};
    GpuCare care =
        new GpuCare(
            new GpuCooldown(
                sensor, GpuOccupancy.unknown(), Duration.ofMillis(1), Clock.systemUTC(), noWait),
            new IdleBaselineSampler(sensor, GpuOccupancy.unknown(), noWait),
            null,
            null,
            Clock.systemUTC());
    env.registerActivitiesImplementations(
        new HostGpuCareActivities(
            new HostSettings("gpu-a", Path.of("/nonexistent"), null, Map.of(), null), care));
    return env.newActivityStub(
        GpuCareActivities.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());
  }

  @Test
  void theIdleBaselineHeartbeatsItsReadingsAndTakesTheirMedian() {
    List<Integer> beats = new ArrayList<>();
    env.setActivityHeartbeatListener(Integer.class, beats::add);
    int[] temps = {31, 30, 45};
    int[] read = {0};
    GpuCareActivities care =
        care(() -> Optional.of(Map.of(GPU, new GpuReading(temps[read[0]++ % 3], 60.0))));
    IdleBaselineResult r =
        care.idleBaseline(new IdleBaselineRequest("camp", 3, Duration.ofMillis(1)));
    // The first reading's heartbeat goes at once; the SDK throttles the ones right after it.
    assertFalse(beats.isEmpty());
    assertEquals(1, beats.get(0));
    assertEquals("gpu-a", r.host());
    assertEquals(31, r.gpus().get(GPU).temperatureC(), r.toString());
  }

  @Test
  void aBrokenSensorIsSaidInTheResultNotThrown() {
    GpuCareActivities care =
        care(
            () -> {
              throw new IllegalStateException("nvidia-smi exited 9");
            });
    CooldownResult cooled =
        care.cooldown(
            new CooldownRequest(
                "e.c1", List.of(GPU), 45, Duration.ofMinutes(1), Map.of(), null, null));
    assertFalse(cooled.reached());
    assertEquals("cannot read GPU temperatures: nvidia-smi exited 9", cooled.note());
    IdleBaselineResult baseline =
        care.idleBaseline(new IdleBaselineRequest("camp", 3, Duration.ofMillis(1)));
    assertTrue(baseline.gpus().isEmpty());
    assertTrue(baseline.note().contains("nvidia-smi exited 9"), baseline.note());
  }
}
