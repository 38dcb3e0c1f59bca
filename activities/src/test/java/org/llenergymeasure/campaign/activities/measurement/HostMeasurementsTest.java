package org.llenergymeasure.campaign.activities.measurement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.activities.gpu.telemetry.GpuSample;
import org.llenergymeasure.campaign.activities.gpu.telemetry.ThrottleReasons;

/** The arithmetic, on readings written by hand; expected values worked out by hand. */
class HostMeasurementsTest {

  static final String A = "GPU-a";
  static final String B = "GPU-b";
  static final double E = 1e-9;

  static GpuSample s(String uuid, Long mj, Double w, Integer c, long throttle) {
    return new GpuSample(uuid, 0, mj, w, c, 1980, throttle, 700.0);
  }

  static SampleRound round(long at, String phase, GpuSample... gpus) {
    return new SampleRound(at, phase, List.of(gpus));
  }

  static final List<SampleRound> TWO_GPUS =
      List.of(
          round(
              0,
              "start",
              s(A, 1_000_000L, 100.0, 50, 0),
              s(B, 2_000_000L, 200.0, 55, ThrottleReasons.SW_POWER_CAP)),
          round(
              1000,
              "during",
              s(A, 1_150_000L, 200.0, 60, ThrottleReasons.SW_THERMAL_SLOWDOWN),
              s(B, 2_250_000L, 300.0, 65, 0)),
          round(3000, "end", s(A, 1_450_000L, 150.0, 58, 0), s(B, 2_850_000L, 300.0, 70, 0)));

  static final SampleRound IDLE =
      round(-5000, "idle", s(A, 900_000L, 60.0, 35, 0), s(B, 1_900_000L, 70.0, 36, 0));

  @Test
  void counterDifferencesPowerPeaksTemperatureAndThrottleTimeOfTwoGpus() {
    HostMeasurement m = HostMeasurements.of(List.of(A, B), TWO_GPUS, IDLE);

    assertEquals("counter", m.method());
    // A: 1,450,000 - 1,000,000 mJ = 450 J; B: 2,850,000 - 2,000,000 mJ = 850 J.
    assertEquals(1300.0, m.energyJ(), E);
    assertEquals(3.0, m.durationS(), E);
    assertEquals(1300.0 / 3.0, m.meanPowerW(), E);
    // Rounds sum to 300, 500 and 450 W.
    assertEquals(500.0, m.peakPowerW(), E);
    assertEquals(70, m.peakTemperatureC());
    // A throttled for heat at 1 s; that lasts until the next round at 3 s.
    assertEquals(2.0, m.thermalThrottleS(), E);
    assertEquals(List.of("SwPowerCap", "SwThermalSlowdown"), m.throttleReasons());
    assertEquals(130.0, m.idlePowerW(), E);
    assertEquals(1400.0, m.powerLimitW(), E);
    assertEquals(3, m.samples());

    HostMeasurement.Gpu a = m.gpus().get(0);
    assertEquals(A, a.uuid());
    assertEquals(450.0, a.energyJ(), E);
    assertEquals(150.0, a.meanPowerW(), E);
    assertEquals(200.0, a.peakPowerW(), E);
    assertEquals(60, a.peakTemperatureC());
    assertEquals(2.0, a.thermalThrottleS(), E);
    assertEquals(60.0, a.idlePowerW(), E);
    HostMeasurement.Gpu b = m.gpus().get(1);
    assertEquals(850.0, b.energyJ(), E);
    assertEquals(0.0, b.thermalThrottleS(), E);
    assertEquals(3, b.samples());
  }

  @Test
  void roundsInAnyOrderAndAnIdleRoundAmongThemGiveTheSameMeasurement() {
    List<SampleRound> shuffled = List.of(TWO_GPUS.get(2), IDLE, TWO_GPUS.get(0), TWO_GPUS.get(1));
    assertEquals(
        HostMeasurements.of(List.of(A, B), TWO_GPUS, IDLE),
        HostMeasurements.of(List.of(A, B), shuffled, IDLE));
  }

  @Test
  void withoutAnEnergyCounterPowerIsIntegratedAndSaidSo() {
    List<SampleRound> rounds =
        List.of(
            round(0, "start", s(A, null, 100.0, 50, 0)),
            round(1000, "during", s(A, null, 200.0, 50, 0)),
            round(3000, "end", s(A, null, 200.0, 50, 0)));
    HostMeasurement m = HostMeasurements.of(List.of(A), rounds, null);
    // Trapezoids: (100+200)/2 * 1 s + (200+200)/2 * 2 s = 150 + 400 J.
    assertEquals("integrated", m.method());
    assertEquals(550.0, m.energyJ(), E);
    assertNull(m.idlePowerW());
  }

  @Test
  void aCounterThatWentBackwardsOrASingleReadingGivesNoEnergy() {
    List<SampleRound> reset =
        List.of(
            round(0, "start", s(A, 5_000_000L, 100.0, 50, 0)),
            round(1000, "end", s(A, 10_000L, 100.0, 50, 0)));
    HostMeasurement m = HostMeasurements.of(List.of(A), reset, null);
    assertNull(m.energyJ());
    assertNull(m.method());
    assertNull(m.meanPowerW());

    HostMeasurement one =
        HostMeasurements.of(List.of(A), List.of(round(0, "start", s(A, 5L, 100.0, 50, 0))), null);
    assertNull(one.energyJ());
    assertEquals(1, one.samples());
  }

  @Test
  void aGpuWithoutReadingsLeavesTheTotalUnknownButKeepsTheOthers() {
    List<SampleRound> onlyA =
        List.of(
            round(0, "start", s(A, 0L, 100.0, 50, 0)),
            round(2000, "end", s(A, 200_000L, 100.0, 50, 0)));
    HostMeasurement m = HostMeasurements.of(List.of(A, B), onlyA, null);
    assertNull(m.energyJ());
    assertEquals(200.0, m.gpus().get(0).energyJ(), E);
    assertEquals(0, m.gpus().get(1).samples());
    assertNull(m.peakPowerW(), "no round had both GPUs");
  }

  @Test
  void noRoundsNoMeasurement() {
    assertNull(HostMeasurements.of(List.of(A), List.of(), IDLE));
  }
}
