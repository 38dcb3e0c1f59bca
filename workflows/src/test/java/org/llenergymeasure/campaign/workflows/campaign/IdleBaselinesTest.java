package org.llenergymeasure.campaign.workflows.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.config.Cooldown;
import org.llenergymeasure.campaign.workflows.host.CooldownRequest;
import org.llenergymeasure.campaign.workflows.host.IdleBaselineResult;
import org.llenergymeasure.campaign.workflows.host.IdleGpu;
import org.llenergymeasure.campaign.workflows.run.RunOutcome;

/** The pure parts of the idle baseline: each run's cooldown request and what it waits for. */
class IdleBaselinesTest {

  private static final Duration TEN_MINUTES = Duration.ofMinutes(10);
  private static final IdleGpu H1_GPU1 = new IdleGpu(31, 55.0, 5, 0);
  private static final IdleGpu H1_GPU2 = new IdleGpu(33, 60.0, 5, 0);
  private static final IdleGpu H2_GPU1 = new IdleGpu(40, null, 5, 1);
  private static final Map<String, Map<String, IdleGpu>> BASELINES =
      Map.of("h1", Map.of("GPU-1", H1_GPU1, "GPU-2", H1_GPU2), "h2", Map.of("GPU-1", H2_GPU1));

  private static RunOutcome ranOn(String host, String... uuids) {
    return new RunOutcome(
        "a.c1",
        RunOutcome.Status.COMPLETED,
        1,
        host,
        null,
        List.of(uuids),
        List.of(uuids),
        Map.of(),
        0,
        1,
        List.of());
  }

  @Test
  void withoutAnIdleBaselineTheRequestHasTheTemperatureLimitOnly() {
    CooldownRequest r =
        IdleBaselines.cooldownRequest(
            ranOn("h1", "GPU-1"), new Cooldown(45, TEN_MINUTES, false, null, null), BASELINES);
    assertEquals(
        new CooldownRequest("a.c1", List.of("GPU-1"), 45, TEN_MINUTES, Map.of(), null, null), r);
  }

  @Test
  void withAnIdleBaselineEachRoutedGpuGetsItsHostsReading() {
    Cooldown cooldown = new Cooldown(null, TEN_MINUTES, true, 2, 15);
    CooldownRequest r =
        IdleBaselines.cooldownRequest(ranOn("h1", "GPU-1", "GPU-3"), cooldown, BASELINES);
    assertEquals(
        new CooldownRequest(
            "a.c1", List.of("GPU-1", "GPU-3"), null, TEN_MINUTES, Map.of("GPU-1", H1_GPU1), 2, 15),
        r,
        "GPU-1 of h1, not of h2; GPU-3 was not measured");
  }

  @Test
  void aHostThatWasNotMeasuredGivesNoReadings() {
    CooldownRequest r =
        IdleBaselines.cooldownRequest(
            ranOn("h3", "GPU-1"), new Cooldown(50, TEN_MINUTES, true, 3, 20), BASELINES);
    assertEquals(Map.of(), r.idle());
    assertEquals(
        List.of(50, 3, 20), List.of(r.maxTemperatureC(), r.idleDeltaC(), r.idlePowerMarginW()));
  }

  @Test
  void aHostThatJoinedLaterGetsTheBaselineItsFirstRunTook() {
    IdleGpu busyElsewhere = new IdleGpu(70, 300.0, 5, 1);
    IdleGpu routedIdle = new IdleGpu(30, 50.0, 5, 0);
    IdleGpu otherIdle = new IdleGpu(32, 52.0, 5, 0);
    RunOutcome first =
        ranOn("h3", "GPU-1")
            .withJoinedHostBaseline(
                new IdleBaselineResult(
                    "h3",
                    Map.of("GPU-1", routedIdle, "GPU-2", busyElsewhere, "GPU-3", otherIdle),
                    "3 GPUs"));
    Map<String, Map<String, IdleGpu>> after = IdleBaselines.withJoined(BASELINES, first);
    // Another run's load on GPU-2 is not its idle state: left out.
    assertEquals(Map.of("GPU-1", routedIdle, "GPU-3", otherIdle), after.get("h3"));
    assertEquals(BASELINES.get("h1"), after.get("h1"));
    Cooldown cooldown = new Cooldown(null, TEN_MINUTES, true, 2, 15);
    assertEquals(
        Map.of("GPU-3", otherIdle),
        IdleBaselines.cooldownRequest(ranOn("h3", "GPU-3"), cooldown, after).idle(),
        "a later run on the joined host cools down to its GPU's baseline");
    // A known host keeps its baseline; an outcome without one changes nothing.
    RunOutcome again =
        ranOn("h1", "GPU-1")
            .withJoinedHostBaseline(
                new IdleBaselineResult("h1", Map.of("GPU-1", otherIdle), "1 GPU"));
    assertEquals(BASELINES, IdleBaselines.withJoined(BASELINES, again));
    assertEquals(BASELINES, IdleBaselines.withJoined(BASELINES, ranOn("h4", "GPU-1")));
  }

  @Test
  void theTargetSaysWhatTheCooldownWaitsFor() {
    assertEquals("≤45 °C", IdleBaselines.target(new Cooldown(45, TEN_MINUTES, false, null, null)));
    assertEquals("idle +2 °C", IdleBaselines.target(new Cooldown(null, TEN_MINUTES, true, 2, 15)));
    assertEquals(
        "idle +3 °C and ≤45 °C", IdleBaselines.target(new Cooldown(45, TEN_MINUTES, true, 3, 15)));
    assertNull(IdleBaselines.target(new Cooldown(null, TEN_MINUTES, false, null, null)));
  }
}
