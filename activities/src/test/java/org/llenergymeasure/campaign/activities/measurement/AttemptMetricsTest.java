package org.llenergymeasure.campaign.activities.measurement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.llenergymeasure.campaign.activities.measurement.MeasurementValidityTest.m;
import static org.llenergymeasure.campaign.activities.measurement.MeasurementValidityTest.result;
import static org.llenergymeasure.campaign.activities.measurement.MeasurementValidityTest.withWindow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The per-run metrics, worked by hand: which energy, which duration, which tokens. */
class AttemptMetricsTest {

  @Test
  void theHostsWindowIsTheEnergyWhenItMeasuredOne() throws Exception {
    // 5000 J over the 10 s await, 3000 J over the run's 15 s window; idle 80 W.
    HostMeasurement host = withWindow(3000.0, null);
    JsonNode r = result("{\"total_energy_j\": 2900, \"total_tokens\": 600}");

    AttemptMetrics a = AttemptMetrics.of(host, r);

    assertEquals("host-window", a.energySource());
    assertEquals(3000.0, a.energyJ(), 1e-9);
    assertEquals(3000.0 - 80 * 15, a.energyAdjustedJ(), 1e-9);
    assertEquals(5.0, a.energyPerTokenJ(), 1e-9);
    assertEquals(3.0, a.energyPerTokenAdjustedJ(), 1e-9);
    assertEquals(40.0, a.tokensPerSecond(), 1e-9);
    assertEquals(1800.0, host.window().energyAdjustedJ(), 1e-9);
  }

  @Test
  void withoutAMeasuredWindowTheWholeAwaitIs() throws Exception {
    JsonNode r = result("{\"total_energy_j\": 2900, \"total_tokens\": 500}");

    AttemptMetrics a = AttemptMetrics.of(withWindow(null, "outside the await"), r);

    assertEquals("host", a.energySource());
    assertEquals(5000.0, a.energyJ(), 1e-9);
    assertEquals(5000.0 - 80 * 10, a.energyAdjustedJ(), 1e-9);
    assertEquals(10.0, a.energyPerTokenJ(), 1e-9);
    assertEquals(8.4, a.energyPerTokenAdjustedJ(), 1e-9);
    assertEquals(50.0, a.tokensPerSecond(), 1e-9);
  }

  @Test
  void withoutAHostMeasurementTheResultsEnergyAndWindowAre() throws Exception {
    JsonNode r =
        result(
            "{\"total_energy_j\": 300, \"input_tokens\": 100, \"output_tokens\": 50,"
                + " \"total_tokens\": null, \"windowStartMs\": 1000, \"windowEndMs\": 6000}");

    AttemptMetrics a = AttemptMetrics.of(null, r);

    assertEquals("result", a.energySource());
    assertEquals(300.0, a.energyJ(), 1e-9);
    assertNull(a.energyAdjustedJ(), "no idle power known");
    assertEquals(2.0, a.energyPerTokenJ(), 1e-9);
    assertEquals(30.0, a.tokensPerSecond(), 1e-9);
    assertFalse(new ObjectMapper().writeValueAsString(a).contains("energyAdjustedJ"));
    assertTrue(
        a.value("energyAdjustedJ", r)
            .missing()
            .endsWith("the host measured no idle power, so energyAdjustedJ is unknown"));
  }

  @Test
  void withoutAnyDurationTheResultsOwnThroughputIsTaken() throws Exception {
    JsonNode r =
        result("{\"total_energy_j\": 90, \"total_tokens\": 300, \"avg_tokens_per_second\": 25}");
    AttemptMetrics a = AttemptMetrics.of(null, r);
    assertEquals(25.0, a.tokensPerSecond(), 1e-9);
    JsonNode timed =
        result(
            "{\"total_energy_j\": 90, \"total_tokens\": 300, \"avg_tokens_per_second\": 25,"
                + " \"total_inference_time_sec\": 3}");
    assertEquals(100.0, AttemptMetrics.of(null, timed).tokensPerSecond(), 1e-9, "a duration wins");
  }

  @Test
  void outputTokensAloneCountWhenNothingElseDoes() throws Exception {
    assertEquals(70.0, AttemptMetrics.tokens(result("{\"output_tokens\": \"70\"}")), 1e-9);
    assertNull(AttemptMetrics.tokens(result("{\"input_tokens\": 70}")));
  }

  @Test
  void anUnknownIdlePowerLeavesTheAdjustedFiguresOut() throws Exception {
    AttemptMetrics a =
        AttemptMetrics.of(m(1000.0, null, 700.0, 0), result("{\"total_tokens\": 10}"));

    assertEquals(100.0, a.energyPerTokenJ(), 1e-9);
    assertNull(a.energyAdjustedJ());
    assertNull(a.energyPerTokenAdjustedJ());
    assertEquals(
        "the host measured no idle power at routing, so energyPerTokenAdjustedJ is unknown",
        a.value("energyPerTokenAdjustedJ", null).missing());
  }

  @Test
  void aResultFieldIsReadByItsDottedPath() throws Exception {
    JsonNode r = result("{\"throughput\": {\"tokens_per_second\": 812.5}, \"name\": \"x\"}");
    AttemptMetrics a = AttemptMetrics.of(null, r);

    assertEquals(812.5, a.value("result.throughput.tokens_per_second", r).value(), 1e-9);
    assertEquals(
        "the result has no numeric field name, so result.name is unknown",
        a.value("result.name", r).missing());
    assertNull(a.value("result.throughput.missing", r).value());
    assertTrue(AttemptMetrics.known("result.a.b"));
    assertFalse(AttemptMetrics.known("result."));
    assertFalse(AttemptMetrics.known("joules"));
  }

  @Test
  void noEnergyAnywhereSaysSo() throws Exception {
    JsonNode r = result("{\"total_tokens\": 10}");
    assertEquals(
        "neither the host nor the result measured energy (no total_energy_j), so energyJ is"
            + " unknown",
        AttemptMetrics.of(null, r).value("energyJ", r).missing());
  }

  @Test
  void anOldLineReadsBackWithItsAdjustedEnergyDerived() throws Exception {
    String old =
        "{\"method\":\"counter\",\"energyJ\":500.0,\"durationS\":2.0,\"idlePowerW\":80.0,"
            + "\"samples\":3,\"thermalThrottleS\":0,\"gpus\":[{\"uuid\":\"G\",\"energyJ\":500.0,"
            + "\"durationS\":2.0,\"idlePowerW\":80.0,\"samples\":3,\"thermalThrottleS\":0}]}";
    ObjectMapper json = new ObjectMapper();

    HostMeasurement h = json.readValue(old, HostMeasurement.class);
    HostMeasurement again = json.readValue(json.writeValueAsString(h), HostMeasurement.class);

    assertEquals(340.0, h.energyAdjustedJ(), 1e-9);
    assertEquals(340.0, h.gpus().get(0).energyAdjustedJ(), 1e-9);
    assertEquals(h, again, "written with energyAdjustedJ, it reads back the same");
  }
}
