package org.llenergymeasure.campaign.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code remeasure} and {@code measurement}: defaults, merging, spellings and the plan hash. */
class MeasurementFieldsTest {

  private static final String PLAIN =
      """
      campaign: c1
      experiments:
        - name: e1
          image: img:1
      """;

  private static Experiment only(String yaml) {
    return Yamls.load(yaml).campaign().experiments().get(0);
  }

  private static String hash(String yaml) {
    return Yamls.load(yaml).plan().hash();
  }

  @Test
  void absentMeansNoRemeasureAndTheDefaultChecks() {
    Experiment e = only(PLAIN);
    assertEquals(0, e.remeasure());
    assertEquals(new Measurement(true, 0.05, "within", false), e.measurement());
  }

  @Test
  void percentAndFractionSpellTheSameTolerance() {
    Experiment pct = only(PLAIN + "    measurement: {energyTolerance: 12.5%}\n");
    Experiment frac = only(PLAIN + "    measurement: {energyTolerance: 0.125}\n");
    assertEquals(0.125, pct.measurement().energyTolerance(), 1e-12);
    assertEquals(pct.measurement(), frac.measurement());
  }

  @Test
  void measurementMergesKeyByKeyFromDefaults() {
    Experiment e =
        only(
            """
            campaign: c1
            defaults:
              image: img:1
              remeasure: 2
              measurement: {energyTolerance: 10%, allowThermalThrottle: true}
            experiments:
              - name: e1
                measurement: {compareEnergy: equal}
            """);
    assertEquals(2, e.remeasure());
    assertEquals(new Measurement(true, 0.10, "equal", true), e.measurement());
  }

  @Test
  void theHashOfAFileWithoutTheNewKeysIsUnchangedAndExplicitDefaultsKeepIt() {
    String base = hash(PLAIN);
    assertEquals(base, hash(PLAIN + "    remeasure: 0\n"));
    assertEquals(
        base,
        hash(
            PLAIN
                + "    measurement: {check: true, energyTolerance: 5%, compareEnergy: within}\n"));
  }

  @Test
  void everyMeasurementSettingChangesTheHash() {
    String base = hash(PLAIN);
    List<String> edits =
        List.of(
            "    remeasure: 1\n",
            "    measurement: {check: false}\n",
            "    measurement: {energyTolerance: 6%}\n",
            "    measurement: {compareEnergy: off}\n",
            "    measurement: {allowThermalThrottle: true}\n");
    for (String edit : edits) {
      assertNotEquals(base, hash(PLAIN + edit), edit);
    }
    assertNotEquals(hash(PLAIN + "    remeasure: 1\n"), hash(PLAIN + "    remeasure: 2\n"));
  }

  @Test
  void aTypoInAMeasurementKeyIsLocatedAndSuggested() {
    List<String> errors = Yamls.errors(PLAIN + "    measurement: {alowThermalThrottle: true}\n");
    assertEquals(
        List.of(
            "5:19: experiments[0].measurement.alowThermalThrottle: unknown key `alowThermalThrottle`;"
                + " did you mean `allowThermalThrottle`?"),
        errors);
  }
}
