package org.llenergymeasure.campaign.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Expansion is fast: 10,000 runs in well under a second (timed and printed, not asserted). */
class PlanPerformanceTest {

  @Test
  void tenThousandRunsInEveryOrder() {
    for (RunOrder order : RunOrder.values()) {
      Campaign c = Campaigns.of(100, 100, order, 3);
      PlanBuilder.plan(c); // warm-up: class loading and JIT are not expansion
      long start = System.nanoTime();
      Plan p = PlanBuilder.plan(c);
      long micros = (System.nanoTime() - start) / 1000;
      System.out.printf("plan of 10,000 runs (%s): %.1f ms%n", order.yamlName(), micros / 1000.0);
      assertEquals(10_000, p.runs().size());
      Set<String> ids = new HashSet<>();
      p.runs().forEach(r -> ids.add(r.runId()));
      assertEquals(10_000, ids.size());
    }
  }

  @Test
  void aGridFileOfTenThousandRunsLoadsAndPlans() {
    String yaml =
        """
        campaign: big
        defaults: {image: "img:1", gpus: [0]}
        grid:
          name: "e-{a}-{b}-{c}"
          base: {command: [run, "{a}", "{b}", "{c}"]}
          axes:
            a: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
            b: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
            c: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
        execution: {cycles: 10, order: latin-square}
        """;
    Yamls.load(yaml); // warm-up
    long start = System.nanoTime();
    LoadedCampaign lc = Yamls.load(yaml);
    long micros = (System.nanoTime() - start) / 1000;
    System.out.printf(
        "load + validate + plan of 1,000 experiments x 10 cycles: %.1f ms%n", micros / 1000.0);
    assertEquals(1000, lc.campaign().experiments().size());
    assertEquals(10_000, lc.plan().runs().size());
    assertEquals(
        "e-9-9-9.c10",
        lc.plan().runs().stream()
            .filter(r -> r.experiment().equals("e-9-9-9") && r.cycle() == 10)
            .findFirst()
            .orElseThrow()
            .runId());
  }
}
