package org.llenergymeasure.campaign.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code execution.cycles: {min, max, until}}: parsing, the plan at start, later cycles, hash. */
class AdaptiveCyclesFieldsTest {

  private static final String EXPERIMENTS =
      """
      campaign: c1
      experiments:
        - {name: a, image: img:1}
        - {name: b, image: img:1}
        - {name: c, image: img:1}
        - {name: d, image: img:1}
      execution:
      """;

  private static String adaptive(String order, String until) {
    return EXPERIMENTS
        + "  order: "
        + order
        + "\n  cycles: {min: 3, max: 20, until: "
        + until
        + "}\n";
  }

  private static final String UNTIL =
      "{metric: energyPerTokenJ, relativeHalfWidth: 2%, confidence: 0.95}";

  private static List<String> ids(List<PlannedRun> runs) {
    return runs.stream().map(PlannedRun::runId).toList();
  }

  @Test
  void readsMinMaxAndTheTarget() {
    Execution x = Yamls.load(adaptive("interleave", UNTIL)).campaign().execution();
    assertEquals(new AdaptiveCycles(3, 20, "energyPerTokenJ", 0.02, 0.95), x.adaptive());
    assertEquals(20, x.cycles(), "cycles holds max, the most an experiment gets");
    assertEquals(3, x.firstCycles());
    assertEquals("min 3, max 20, until energyPerTokenJ ±2 % at 95 %", x.adaptive().describe());
  }

  @Test
  void percentAndFractionSpellTheSameTarget() {
    String frac =
        "{metric: result.throughput.tokens_per_second, relativeHalfWidth: 0.02,"
            + " confidence: 95%}";
    AdaptiveCycles a = Yamls.load(adaptive("interleave", frac)).campaign().execution().adaptive();
    assertEquals(new AdaptiveCycles(3, 20, "result.throughput.tokens_per_second", 0.02, 0.95), a);
  }

  @Test
  void aWholeNumberIsAFixedCountAsBefore() {
    Execution x = Yamls.load(EXPERIMENTS + "  cycles: 4\n").campaign().execution();
    assertEquals(4, x.cycles());
    assertNull(x.adaptive());
    assertEquals(4, x.firstCycles());
  }

  @Test
  void thePlanStartsWithCyclesOneToMin() {
    LoadedCampaign l = Yamls.load(adaptive("interleave", UNTIL));
    assertEquals(12, l.plan().runs().size());
    assertEquals(3, l.plan().runs().get(11).cycle());
  }

  @Test
  void aLaterCycleKeepsItsOrderFilteredToTheExperimentsThatRemain() {
    // latin-square, n = 4 (balanced): row 0 = 0 1 3 2; cycle 4 is row 3 = 3 0 2 1 (d a c b).
    Campaign c = Yamls.load(adaptive("latin-square", UNTIL)).campaign();
    boolean[] keep = {true, true, false, true};
    List<PlannedRun> runs = PlanBuilder.cycle(c, 4, keep, 12);
    assertEquals(List.of("d.c4", "a.c4", "b.c4"), ids(runs));
    assertEquals(List.of(12, 13, 14), runs.stream().map(PlannedRun::index).toList());
    // reverse: even cycles backward.
    Campaign r = Yamls.load(adaptive("reverse", UNTIL)).campaign();
    assertEquals(
        List.of("d.c4", "b.c4"),
        ids(PlanBuilder.cycle(r, 4, new boolean[] {false, true, false, true}, 0)));
    assertEquals(
        List.of("b.c5", "d.c5"),
        ids(PlanBuilder.cycle(r, 5, new boolean[] {false, true, false, true}, 0)));
  }

  @Test
  void everyLaterCycleIsTheCycleAFixedCountWouldHaveHad() {
    for (String order : List.of("interleave", "reverse", "shuffle", "latin-square")) {
      Campaign c = Yamls.load(adaptive(order, UNTIL)).campaign();
      String fixedYaml = EXPERIMENTS + "  order: " + order + "\n  cycles: 7\n";
      List<PlannedRun> fixed = Yamls.load(fixedYaml).plan().runs();
      boolean[] all = new boolean[4];
      Arrays.fill(all, true);
      for (int cycle = 4; cycle <= 7; cycle++) {
        List<PlannedRun> later = PlanBuilder.cycle(c, cycle, all, (cycle - 1) * 4);
        assertEquals(fixed.subList((cycle - 1) * 4, cycle * 4), later, order + " cycle " + cycle);
      }
    }
  }

  @Test
  void theHashOfAnAdaptiveCampaignCoversMinMaxAndTheTarget() {
    String base = Yamls.load(adaptive("interleave", UNTIL)).plan().hash();
    String fixed3 = Yamls.load(EXPERIMENTS + "  order: interleave\n  cycles: 3\n").plan().hash();
    assertNotEquals(fixed3, base);
    for (String other :
        List.of(
            adaptive("interleave", UNTIL).replace("max: 20", "max: 21"),
            adaptive("interleave", UNTIL).replace("min: 3", "min: 2"),
            adaptive("interleave", UNTIL.replace("2%", "3%")),
            adaptive("interleave", UNTIL.replace("0.95", "0.99")),
            adaptive("interleave", UNTIL.replace("energyPerTokenJ", "energyJ")))) {
      assertNotEquals(base, Yamls.load(other).plan().hash(), other);
    }
    assertEquals(base, Yamls.load(adaptive("interleave", UNTIL)).plan().hash());
  }

  @Test
  void metricNames() {
    for (String ok :
        List.of(
            "energyJ",
            "energyAdjustedJ",
            "energyPerTokenJ",
            "energyPerTokenAdjustedJ",
            "tokensPerSecond",
            "result.total_energy_j",
            "result.throughput.tokens_per_second")) {
      assertEquals(true, AdaptiveCycles.validMetric(ok), ok);
    }
    for (String bad : List.of("energy", "result.", "result..x", "result.a b", "Result.x")) {
      assertEquals(false, AdaptiveCycles.validMetric(bad), bad);
    }
  }
}
