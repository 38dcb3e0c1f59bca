package org.llenergymeasure.campaign.activities.measurement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.config.Measurement;

/** Each rule of a plausible measurement, passing and failing. */
class MeasurementValidityTest {

  static final Measurement DEFAULT = Measurement.DEFAULT;

  /** energy J over 10 s, so the mean power is energy / 10 W. */
  static HostMeasurement m(Double energy, Double idle, Double limit, double throttleS) {
    return new HostMeasurement(
        "counter",
        energy,
        10.0,
        energy == null ? null : energy / 10.0,
        null,
        60,
        throttleS,
        throttleS > 0 ? List.of("SwThermalSlowdown") : List.of(),
        idle,
        limit,
        11,
        List.of(
            new HostMeasurement.Gpu(
                "GPU-a",
                energy == null ? null : "counter",
                energy,
                10.0,
                null,
                null,
                60,
                throttleS,
                idle,
                limit,
                11)),
        null);
  }

  static JsonNode result(String json) throws Exception {
    return new ObjectMapper().readTree(json);
  }

  static Optional<String> check(HostMeasurement m, JsonNode result, Measurement policy) {
    return MeasurementValidity.problems(m, result, policy);
  }

  @Test
  void aPlausibleMeasurementPasses() throws Exception {
    // 3000 J / 10 s = 300 W: above 80 W idle, under the 700 W limit, no throttling, and the run's
    // own 2900 J lies within what the host saw.
    assertEquals(
        Optional.empty(),
        check(m(3000.0, 80.0, 700.0, 0), result("{\"total_energy_j\": 2900}"), DEFAULT));
  }

  @Test
  void missingOrNonPositiveHostEnergyIsInvalid() {
    assertTrue(check(null, null, DEFAULT).orElseThrow().contains("no GPU readings were recorded"));
    String missing = check(m(null, 80.0, 700.0, 0), null, DEFAULT).orElseThrow();
    assertTrue(missing.contains("no energy for GPU-a (11 readings)"), missing);
    String zero = check(m(0.0, 80.0, 700.0, 0), null, DEFAULT).orElseThrow();
    assertTrue(
        zero.startsWith("host energy 0 J over 10 s: the GPUs' energy counter did not advance"),
        zero);
  }

  @Test
  void meanPowerBelowIdleIsInvalidWithAQuarterOfMargin() {
    // 100 J / 10 s = 10 W against 80 W idle.
    String low = check(m(100.0, 80.0, 700.0, 0), null, DEFAULT).orElseThrow();
    assertEquals(
        "mean power 10 W is below the GPUs' idle power 80 W (measured at routing, 25% below is allowed)",
        low);
    // 61 W is less than a quarter below 80 W.
    assertEquals(Optional.empty(), check(m(610.0, 80.0, 700.0, 0), null, DEFAULT));
    // No idle reference: nothing to compare.
    assertEquals(Optional.empty(), check(m(100.0, null, 700.0, 0), null, DEFAULT));
  }

  @Test
  void meanPowerAboveTheEnforcedLimitIsInvalid() {
    String high = check(m(8000.0, 80.0, 700.0, 0), null, DEFAULT).orElseThrow();
    assertEquals("mean power 800 W is above the GPUs' enforced power limit 700 W", high);
    // 730 W is within 5% of the limit (735 W).
    assertEquals(Optional.empty(), check(m(7300.0, 80.0, 700.0, 0), null, DEFAULT));
  }

  @Test
  void thermalThrottlingIsInvalidUnlessAllowed() {
    String hot = check(m(3000.0, 80.0, 700.0, 2.0), null, DEFAULT).orElseThrow();
    assertTrue(
        hot.startsWith("the GPUs throttled for heat for 2 s during the run (SwThermalSlowdown)"),
        hot);
    Measurement allow = new Measurement(true, 0.05, "within", true);
    assertEquals(Optional.empty(), check(m(3000.0, 80.0, 700.0, 2.0), null, allow));
  }

  @Test
  void containerEnergyAboveTheHostsBeyondTheToleranceIsInvalid() throws Exception {
    String off =
        check(m(1234.0, 10.0, 700.0, 0), result("{\"total_energy_j\": 1500}"), DEFAULT)
            .orElseThrow();
    // (1500 - 1234) / 1234 = 21.56%
    assertTrue(off.startsWith("host energy 1234 J vs container 1500 J differ by 21.6% > 5%"), off);
    // 1290 J is 4.5% above: within the tolerance.
    assertEquals(
        Optional.empty(),
        check(m(1234.0, 10.0, 700.0, 0), result("{\"total_energy_j\": 1290}"), DEFAULT));
    // Less than the host saw is expected under `within` (the host also measured the start-up)...
    assertEquals(
        Optional.empty(),
        check(m(1234.0, 10.0, 700.0, 0), result("{\"total_energy_j\": 1000}"), DEFAULT));
    // ...but not under `equal`: (1234 - 1000) / 1234 = 18.96%.
    Measurement equal = new Measurement(true, 0.05, "equal", false);
    String under =
        check(m(1234.0, 10.0, 700.0, 0), result("{\"total_energy_j\": 1000}"), equal).orElseThrow();
    assertTrue(
        under.startsWith("host energy 1234 J vs container 1000 J differ by 19.0% > 5%"), under);
    Measurement noCompare = new Measurement(true, 0.05, "off", false);
    assertEquals(
        Optional.empty(),
        check(m(1234.0, 10.0, 700.0, 0), result("{\"total_energy_j\": 99999}"), noCompare));
    Measurement loose = new Measurement(true, 0.25, "within", false);
    assertEquals(
        Optional.empty(),
        check(m(1234.0, 10.0, 700.0, 0), result("{\"total_energy_j\": 1500}"), loose));
  }

  @Test
  void aResultWithoutANumericTotalEnergyIsNotCompared() throws Exception {
    assertEquals(
        Optional.empty(),
        check(m(1234.0, 10.0, 700.0, 0), result("{\"total_energy_j\": \"n/a\"}"), DEFAULT));
    assertEquals(
        Optional.empty(),
        check(m(1234.0, 10.0, 700.0, 0), result("{\"energy_j\": 99999}"), DEFAULT));
  }

  @Test
  void severalProblemsAreAllSaidAndCheckFalseSaysNone() throws Exception {
    String both =
        check(m(100.0, 80.0, 700.0, 1.0), result("{\"total_energy_j\": 500}"), DEFAULT)
            .orElseThrow();
    assertEquals(3, both.split("; ").length, both);
    Measurement recordOnly = new Measurement(false, 0.05, "within", false);
    assertEquals(Optional.empty(), check(null, null, recordOnly));
    assertEquals(
        Optional.empty(),
        check(m(100.0, 80.0, 700.0, 1.0), result("{\"total_energy_j\": 500}"), recordOnly));
  }

  /** 5000 J over the whole await (start-up included), 3000 J over the run's own 15 s window. */
  static HostMeasurement withWindow(Double windowJ, String note) {
    MeasuredWindow w =
        new MeasuredWindow(
            ReportedWindow.EPOCH_FIELDS,
            1000L,
            16000L,
            windowJ == null ? null : "counter",
            windowJ,
            15.0,
            windowJ == null ? null : windowJ / 15,
            15,
            windowJ == null ? null : MeasuredWindow.INTERPOLATED,
            List.of(1.0, 1.0),
            windowJ == null ? null : 10.0,
            note,
            List.of());
    return m(5000.0, 80.0, 700.0, 0).withWindow(w);
  }

  @Test
  void withAWindowTheRunsEnergyIsComparedWithTheHostsOverThatWindow() throws Exception {
    Measurement equal = new Measurement(true, 0.05, "equal", false);
    JsonNode run = result("{\"total_energy_j\": 3000}");
    // Like for like: the run's 3000 J is the host's over the window...
    assertEquals(Optional.empty(), check(withWindow(3000.0, null), run, equal));
    // ...while against the whole await (5000 J) it is 40% off.
    String whole = check(m(5000.0, 80.0, 700.0, 0), run, equal).orElseThrow();
    assertEquals(
        "host energy 5000 J vs container 3000 J differ by 40% > 5% over the whole await, start-up"
            + " included (the result reports no measurement window)"
            + " (measurement.compareEnergy: equal)",
        whole);
  }

  @Test
  void underWithinARunAboveItsWindowFailsThoughItIsBelowTheWholeAwait() throws Exception {
    JsonNode run = result("{\"total_energy_j\": 3300}");
    assertEquals(Optional.empty(), check(m(5000.0, 80.0, 700.0, 0), run, DEFAULT));
    String p = check(withWindow(3000.0, null), run, DEFAULT).orElseThrow();
    assertEquals(
        "host energy 3000 J vs container 3300 J differ by 10% > 5% over the run's measurement"
            + " window (windowStartMs/windowEndMs, 15 s): the run reports more energy than its"
            + " GPUs used",
        p);
  }

  @Test
  void aWindowWithoutEnergyFallsBackToTheWholeAwaitAndSaysWhy() throws Exception {
    Measurement equal = new Measurement(true, 0.05, "equal", false);
    String p =
        check(
                withWindow(null, "the run's window ... starts 3.000 s before ..."),
                result("{\"total_energy_j\": 3000}"),
                equal)
            .orElseThrow();
    assertTrue(
        p.startsWith(
            "host energy 5000 J vs container 3000 J differ by 40% > 5% over the whole await,"
                + " start-up included (the run's window was not measured: the run's window ..."),
        p);
    // The other rules still judge the whole await: 5000 J / 10 s = 500 W.
    assertEquals(
        Optional.empty(),
        check(withWindow(null, "n"), result("{\"total_energy_j\": 10}"), DEFAULT));
  }

  @Test
  void aWindowInWhichTheCounterDidNotAdvanceIsNotComparedButReported() throws Exception {
    String p =
        check(withWindow(0.0, null), result("{\"total_energy_j\": 3000}"), DEFAULT).orElseThrow();
    assertTrue(
        p.startsWith(
            "host energy 0 J over the run's measurement window (windowStartMs/windowEndMs, 15 s)"),
        p);
  }
}
