package org.llenergymeasure.campaign.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code measurement.rules} and {@code measurement.minDuration}: modes, defaults, errors, hash. */
class MeasurementRulesTest {

  private static final String PLAIN =
      """
      campaign: c1
      experiments:
        - name: e1
          image: img:1
      """;

  private static Measurement of(String measurement) {
    return Yamls.load(PLAIN + "    measurement: " + measurement + "\n")
        .campaign()
        .experiments()
        .get(0)
        .measurement();
  }

  @Test
  void theDefaultsFailTheOldCodesWarnTheNewOnesAndLeaveTooShortOff() {
    Measurement d = Measurement.DEFAULT;
    for (String code :
        List.of("NO_ENERGY", "BELOW_IDLE", "ABOVE_LIMIT", "THERMAL_THROTTLE", "ENERGY_MISMATCH")) {
      assertEquals("fail", d.mode(code), code);
    }
    for (String code :
        List.of("SAMPLE_GAP", "GPU_COUNT_MISMATCH", "CLOCK_STEP", "UPSTREAM_WARNING")) {
      assertEquals("warn", d.mode(code), code);
    }
    assertEquals("off", d.mode("TOO_SHORT"));
  }

  @Test
  void theOldKeysMapOntoModes() {
    assertEquals("warn", of("{allowThermalThrottle: true}").mode("THERMAL_THROTTLE"));
    assertEquals("off", of("{compareEnergy: off}").mode("ENERGY_MISMATCH"));
    Measurement unchecked = of("{check: false}");
    for (String code : Measurement.CODES) {
      assertNotEquals("fail", unchecked.mode(code), code);
    }
    assertEquals("fail", of("{check: false, rules: {NO_ENERGY: fail}}").mode("NO_ENERGY"));
  }

  @Test
  void rulesAndMinDurationAreRead() {
    Measurement m = of("{rules: {SAMPLE_GAP: fail, THERMAL_THROTTLE: warn}, minDuration: 30s}");
    assertEquals(Map.of("SAMPLE_GAP", "fail", "THERMAL_THROTTLE", "warn"), m.rules());
    assertEquals(Duration.ofSeconds(30), m.minDuration());
    assertEquals("fail", m.mode("SAMPLE_GAP"));
    assertEquals("warn", m.mode("THERMAL_THROTTLE"));
    assertEquals("fail", m.mode("TOO_SHORT"), "on once a minimum is set");
    assertNull(Measurement.DEFAULT.minDuration());
  }

  @Test
  void anUnknownCodeIsLocatedWithTheValidOnes() {
    assertEquals(
        List.of(
            "5:27: experiments[0].measurement.rules.SAMPLE_GAPS: unknown reason code"
                + " `SAMPLE_GAPS`; expected one of NO_ENERGY, BELOW_IDLE, ABOVE_LIMIT,"
                + " THERMAL_THROTTLE, ENERGY_MISMATCH, SAMPLE_GAP, TOO_SHORT, GPU_COUNT_MISMATCH,"
                + " CLOCK_STEP, UPSTREAM_WARNING (did you mean `SAMPLE_GAP`?)"),
        Yamls.errors(PLAIN + "    measurement: {rules: {SAMPLE_GAPS: fail}}\n"));
  }

  @Test
  void anUnknownModeIsLocatedWithTheValidOnes() {
    assertEquals(
        List.of(
            "5:39: experiments[0].measurement.rules.SAMPLE_GAP: `error` is not allowed;"
                + " expected one of fail, warn, off"),
        Yamls.errors(PLAIN + "    measurement: {rules: {SAMPLE_GAP: error}}\n"));
  }

  @Test
  void aMinDurationMustBeADuration() {
    assertEquals(1, Yamls.errors(PLAIN + "    measurement: {minDuration: soon}\n").size());
    assertEquals(1, Yamls.errors(PLAIN + "    measurement: {minDuration: 0s}\n").size());
  }

  @Test
  void theHashChangesOnlyWithTheNewKeysSet() {
    String base = Yamls.load(PLAIN).plan().hash();
    String rules =
        Yamls.load(PLAIN + "    measurement: {rules: {SAMPLE_GAP: fail}}\n").plan().hash();
    String min = Yamls.load(PLAIN + "    measurement: {minDuration: 30s}\n").plan().hash();
    assertNotEquals(base, rules);
    assertNotEquals(base, min);
    assertNotEquals(rules, min);
    // Computed before rules and minDuration existed: a file with the old keys hashes as before.
    assertEquals(
        "350086ae5e2619a5f94b77446cb0ff63148d22af7d6d4336cd527dfee4300b76",
        Yamls.load(PLAIN + "    measurement: {allowThermalThrottle: true, energyTolerance: 10%}\n")
            .plan()
            .hash());
  }
}
