package org.llenergymeasure.campaign.activities.measurement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.activities.gpu.telemetry.GpuSample;

/**
 * The host's energy over a run's own window, on readings of synthetic power curves. Every expected
 * value is worked out here from the curve itself (its integral, computed numerically), never from
 * the code under test.
 */
class WindowEnergyTest {

  static final String A = "GPU-a";
  static final String B = "GPU-b";
  static final long T0 = 1_800_000_000_000L;

  /** A piecewise-linear power curve through (seconds, watts) knots, constant beyond them. */
  static DoubleUnaryOperator curve(double... knots) {
    return t -> {
      if (t <= knots[0]) {
        return knots[1];
      }
      for (int i = 2; i < knots.length; i += 2) {
        if (t <= knots[i]) {
          double f = (t - knots[i - 2]) / (knots[i] - knots[i - 2]);
          return knots[i - 1] + f * (knots[i + 1] - knots[i - 1]);
        }
      }
      return knots[knots.length - 1];
    };
  }

  /** A step: {@code low} W, then {@code high} W from {@code up} to {@code down} s, then low. */
  static DoubleUnaryOperator step(double low, double high, double up, double down) {
    return t -> t >= up && t < down ? high : low;
  }

  /** The curve's energy from a to b seconds: midpoint sums over 10 µs slices. */
  static double joules(DoubleUnaryOperator watts, double a, double b) {
    int n = (int) Math.round((b - a) / 1e-5);
    double h = (b - a) / n;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += watts.applyAsDouble(a + (i + 0.5) * h);
    }
    return sum * h;
  }

  /** A GPU read at given seconds: its counter (from 0 s on, in mJ) and its power there. */
  record Series(String uuid, DoubleUnaryOperator watts, boolean counter) {
    GpuSample at(double t) {
      Long mj = counter ? Math.round(joules(watts, 0, t) * 1000) : null;
      return new GpuSample(uuid, 0, mj, watts.applyAsDouble(t), 50, 1980, 0L, 700.0);
    }
  }

  /** Rounds of the await at the given seconds after T0, each reading every series. */
  static List<SampleRound> rounds(double[] seconds, Series... gpus) {
    List<SampleRound> out = new ArrayList<>();
    for (int i = 0; i < seconds.length; i++) {
      List<GpuSample> samples = new ArrayList<>();
      for (Series g : gpus) {
        samples.add(g.at(seconds[i]));
      }
      String phase = i == 0 ? "start" : i == seconds.length - 1 ? "end" : "during";
      out.add(new SampleRound(T0 + Math.round(seconds[i] * 1000), phase, samples));
    }
    return out;
  }

  /** Every second from {@code first}, {@code count} readings. */
  static double[] every(double first, int count) {
    double[] s = new double[count];
    for (int i = 0; i < count; i++) {
      s[i] = first + i;
    }
    return s;
  }

  static ReportedWindow window(double startS, double endS) {
    return new ReportedWindow(
        ReportedWindow.EPOCH_FIELDS,
        List.of(
            new ReportedWindow.Reading(
                T0 + Math.round(startS * 1000), T0 + Math.round(endS * 1000), null)),
        null);
  }

  @Test
  void theCounterGivesTheCurvesEnergyWhenPowerIsSteadyAroundTheEdges() {
    // 150 W, a ramp to 350 W between 3 and 8 s, then 350 W: steady in the brackets of both edges.
    DoubleUnaryOperator p = curve(3, 150, 8, 350);
    List<SampleRound> r = rounds(every(0, 21), new Series(A, p, true));

    MeasuredWindow w = WindowEnergy.of(List.of(A), r, window(2.5, 15.2));

    double truth = joules(p, 2.5, 15.2);
    assertEquals(3845.0, truth, 1e-3, "150 * 0.5 + 250 * 5 + 350 * 7.2");
    assertEquals(truth, w.energyJ(), 0.01);
    assertEquals("counter", w.method());
    assertEquals(12.7, w.durationS(), 1e-9);
    assertEquals(truth / 12.7, w.meanPowerW(), 0.01);
    assertEquals(MeasuredWindow.INTERPOLATED, w.edges());
    assertEquals(List.of(1.0, 1.0), w.edgeGapsS());
    // Readings at 3..15 s lie inside; the edges' stretches are 2.5-3 s at 150 W and 15-15.2 s at
    // 350 W.
    assertEquals(13, w.samples());
    assertEquals(150 * 0.5 + 350 * 0.2, w.interpolatedJ(), 0.01);
    assertNull(w.note());
    assertEquals(List.of(new MeasuredWindow.Gpu(A, "counter", w.energyJ())), w.gpus());
  }

  @Test
  void aStepAtEachEdgeIsSpreadOverItsBracketByTheInterpolation() {
    // 100 W, 300 W from 2 to 12 s, then 100 W; read every second at x.3 s. The window is the 300 W
    // stretch exactly: 3000 J.
    DoubleUnaryOperator p = step(100, 300, 2, 12);
    List<SampleRound> r = rounds(every(0.3, 14), new Series(A, p, true));

    MeasuredWindow w = WindowEnergy.of(List.of(A), r, window(2, 12));

    double truth = joules(p, 2, 12);
    assertEquals(3000.0, truth, 1e-3);
    // Each edge lies 0.7 s into a 1 s bracket whose energy the interpolation spreads evenly; a
    // step of dP inside a bracket of length d at fraction f is missed by f (1 - f) d dP, here
    // 0.7 * 0.3 * 1 * 200 = 42 J at each edge (at most d dP / 4 = 50 J).
    assertEquals(truth - 2 * 42, w.energyJ(), 0.01);
    assertTrue((truth - w.energyJ()) / truth < 0.03);
    // Readings at 2.3 .. 11.3 s lie inside.
    assertEquals(10, w.samples());
    // 2-2.3 s: 0.3 of the first bracket's 160 J; 11.3-12 s: 0.7 of the last one's 240 J.
    assertEquals(0.3 * 160 + 0.7 * 240, w.interpolatedJ(), 0.01);
  }

  @Test
  void powerReadingsAloneAreIntegratedOverTheWindow() {
    // Power linear between readings (knots at the reading times), so trapezoids are exact.
    DoubleUnaryOperator p = curve(0, 100, 1, 250, 2, 400, 3, 380, 4, 120, 5, 90);
    List<SampleRound> r = rounds(every(0, 6), new Series(A, p, false));

    MeasuredWindow w = WindowEnergy.of(List.of(A), r, window(0.4, 4.75));

    assertEquals("integrated", w.method());
    assertEquals(joules(p, 0.4, 4.75), w.energyJ(), 0.01);
    assertEquals(joules(p, 0.4, 1) + joules(p, 4, 4.75), w.interpolatedJ(), 0.01);
    assertEquals(4, w.samples());
  }

  @Test
  void theGpusAreSummedAndAGpuWithoutCounterMakesItIntegrated() {
    DoubleUnaryOperator pa = curve(3, 150, 8, 350);
    DoubleUnaryOperator pb = t -> 100;
    List<SampleRound> counted =
        rounds(every(0, 21), new Series(A, pa, true), new Series(B, pb, true));

    MeasuredWindow both = WindowEnergy.of(List.of(A, B), counted, window(2.5, 15.2));

    double a = joules(pa, 2.5, 15.2);
    double b = joules(pb, 2.5, 15.2);
    assertEquals(1270.0, b, 1e-3);
    assertEquals(a + b, both.energyJ(), 0.02);
    assertEquals("counter", both.method());
    assertEquals(a, both.gpus().get(0).energyJ(), 0.01);
    assertEquals(b, both.gpus().get(1).energyJ(), 0.01);

    List<SampleRound> mixed =
        rounds(every(0, 21), new Series(A, pa, true), new Series(B, pb, false));
    MeasuredWindow m = WindowEnergy.of(List.of(A, B), mixed, window(2.5, 15.2));
    assertEquals("integrated", m.method());
    assertEquals("integrated", m.gpus().get(1).method());
    assertEquals(a + b, m.energyJ(), 0.02);
  }

  @Test
  void readingsOnTheEdgesAreExact() {
    DoubleUnaryOperator p = step(100, 300, 2, 12);
    List<SampleRound> r = rounds(every(0, 15), new Series(A, p, true));

    MeasuredWindow w = WindowEnergy.of(List.of(A), r, window(2, 12));

    assertEquals(3000.0, w.energyJ(), 0.01);
    assertEquals(MeasuredWindow.EXACT, w.edges());
    assertEquals(List.of(0.0, 0.0), w.edgeGapsS());
    assertEquals(0.0, w.interpolatedJ(), 1e-9);
    assertEquals(11, w.samples());
  }

  @Test
  void aWindowBetweenTwoReadingsIsAllInterpolation() {
    DoubleUnaryOperator p = t -> 250;
    List<SampleRound> r = rounds(new double[] {0, 10}, new Series(A, p, true));

    MeasuredWindow w = WindowEnergy.of(List.of(A), r, window(3, 7));

    assertEquals(1000.0, w.energyJ(), 0.01);
    assertEquals(0, w.samples());
    assertEquals(w.energyJ(), w.interpolatedJ(), 1e-9);
    assertEquals(List.of(10.0, 10.0), w.edgeGapsS());
  }

  @Test
  void aWindowOutsideTheAwaitGivesNoNumberButAReason() {
    List<SampleRound> r = rounds(every(0, 11), new Series(A, t -> 200, true));

    MeasuredWindow early = WindowEnergy.of(List.of(A), r, window(-1, 5));
    assertNull(early.energyJ());
    assertNull(early.method());
    assertEquals(T0 - 1000, early.startMs());
    assertTrue(
        early.note().contains("starts 1.000 s before the first GPU reading of the await"),
        early.note());
    assertTrue(early.note().endsWith(": no window energy"), early.note());

    MeasuredWindow late = WindowEnergy.of(List.of(A), r, window(5, 12.5));
    assertNull(late.energyJ());
    assertTrue(late.note().contains("ends 2.500 s after the last"), late.note());

    // A window in seconds instead of milliseconds is far outside.
    ReportedWindow seconds =
        new ReportedWindow(
            ReportedWindow.EPOCH_FIELDS,
            List.of(new ReportedWindow.Reading(T0 / 1000, T0 / 1000 + 5, null)),
            null);
    assertNull(WindowEnergy.of(List.of(A), r, seconds).energyJ());
  }

  @Test
  void tooFewReadingsGiveNoNumber() {
    List<SampleRound> one = rounds(new double[] {0}, new Series(A, t -> 200, true));
    MeasuredWindow w = WindowEnergy.of(List.of(A), one, window(0, 0.5));
    assertNull(w.energyJ());
    assertTrue(w.note().contains("fewer than the 2 needed"), w.note());

    // The await's readings enclose the window, but GPU b answered only from 6 s on.
    List<SampleRound> r = rounds(every(0, 11), new Series(A, t -> 200, true));
    List<SampleRound> gappy = new ArrayList<>();
    for (SampleRound x : r) {
      List<GpuSample> gpus = new ArrayList<>(x.gpus());
      if (x.atMillis() >= T0 + 6000) {
        gpus.add(new Series(B, t -> 100, true).at((x.atMillis() - T0) / 1000.0));
      }
      gappy.add(new SampleRound(x.atMillis(), x.phase(), gpus));
    }
    MeasuredWindow missing = WindowEnergy.of(List.of(A, B), gappy, window(2, 8));
    assertNull(missing.energyJ());
    assertTrue(
        missing.note().startsWith("GPU-b has no reading at or before the window's start"),
        missing.note());
    assertEquals(1200.0, missing.gpus().get(0).energyJ(), 0.01, "GPU a's share is still shown");
  }

  @Test
  void anUnusableReportedWindowKeepsItsNote() {
    ReportedWindow bad = new ReportedWindow(ReportedWindow.EPOCH_FIELDS, List.of(), "garbage");
    MeasuredWindow w =
        WindowEnergy.of(List.of(A), rounds(every(0, 3), new Series(A, t -> 1, true)), bad);
    assertNull(w.energyJ());
    assertNull(w.startMs());
    assertEquals("garbage", w.note());
  }

  @Test
  void theIdleRoundIsNotPartOfTheAwait() {
    List<SampleRound> r = new ArrayList<>(rounds(every(0, 11), new Series(A, t -> 200, true)));
    r.add(new SampleRound(T0 - 5000, SampleRound.IDLE, r.get(0).gpus()));
    assertNull(WindowEnergy.of(List.of(A), r, window(-2, 5)).energyJ());
  }

  @Test
  void aTimeWithoutOffsetIsReadTheWayThatFallsInsideTheAwait() {
    // The await at 2027-01-15T08:00:00Z + 0..20 s; the run wrote its window in UTC, without an
    // offset, while the worker's zone is an hour ahead.
    long t0 = java.time.Instant.parse("2027-01-15T08:00:00Z").toEpochMilli();
    List<SampleRound> r = new ArrayList<>();
    for (int i = 0; i <= 20; i++) {
      r.add(
          new SampleRound(
              t0 + i * 1000L,
              "during",
              List.of(new GpuSample(A, 0, 1_000_000L + i * 200_000L, 200.0, 50, 1, 0L, 700.0))));
    }
    ReportedWindow naive =
        ReportedWindow.of(
                json(
                    "{\"start_time\": \"2027-01-15T08:00:02.5\", \"end_time\": \"2027-01-15T08:00:17.5\"}"),
                java.time.ZoneId.of("Europe/Berlin"))
            .orElseThrow();

    MeasuredWindow w = WindowEnergy.of(List.of(A), r, naive);

    assertEquals(3000.0, w.energyJ(), 1e-6, "15 s at 200 W");
    assertEquals(t0 + 2500, w.startMs());
    assertEquals("time without an offset, read as UTC", w.note());
    assertEquals(ReportedWindow.ISO_FIELDS, w.source());
  }

  static com.fasterxml.jackson.databind.JsonNode json(String s) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(s);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
