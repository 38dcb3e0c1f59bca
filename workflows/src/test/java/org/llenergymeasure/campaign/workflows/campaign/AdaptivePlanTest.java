package org.llenergymeasure.campaign.workflows.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.config.PlannedRun;
import org.llenergymeasure.campaign.workflows.plan.CampaignPack;

/** The growing plan of adaptive cycles, against hand-worked examples. */
class AdaptivePlanTest {

  /** {@code experiments} experiments a0, b0, …; min 2, max 4, ±5 % at 95 %. */
  static LoadedCampaign load(int experiments, String order) throws Exception {
    StringBuilder yaml = new StringBuilder("campaign: plan-test\nexperiments:\n");
    for (int i = 0; i < experiments; i++) {
      yaml.append("  - {name: ")
          .append((char) ('a' + i % 26))
          .append(i / 26)
          .append(", image: i:1}\n");
    }
    yaml.append("execution:\n  order: ")
        .append(order)
        .append("\n  cycles: {min: 2, max: 4, until: {metric: energyJ, relativeHalfWidth: 5%,")
        .append(" confidence: 0.95}}\n");
    return CampaignLoader.parse(yaml.toString(), "test.yaml");
  }

  private static List<String> ids(List<PlannedRun> runs) {
    return runs.stream().map(PlannedRun::runId).toList();
  }

  @Test
  void aCycleIsPlannedOnlyForExperimentsShortOfTheTargetUpToMax() throws Exception {
    LoadedCampaign l = load(3, "reverse");
    Campaign c = l.campaign();
    AdaptivePlan plan = AdaptivePlan.start(c);
    List<PlannedRun> runs = new ArrayList<>(l.plan().runs());
    assertEquals(List.of("a0.c1", "b0.c1", "c0.c1", "c0.c2", "b0.c2", "a0.c2"), ids(runs));
    assertEquals(12, plan.plannedMax(runs.size()));
    // a0: 100, 100 (±0: within); b0: 100, 110 (±63.5, 60.5 % of 105: not); c0: one value only (no
    // interval).
    plan.record("a0", 100.0);
    plan.record("a0", 100.0);
    plan.record("b0", 100.0);
    plan.record("b0", 110.0);
    plan.record("c0", 100.0);
    plan.record("c0", null); // a failed or invalid run: no value
    List<PlannedRun> third = plan.nextCycle(runs.size());
    assertEquals(List.of("b0.c3", "c0.c3"), ids(third), "cycle 3 is forward: a b c, without a");
    assertEquals(List.of(6, 7), third.stream().map(PlannedRun::index).toList());
    runs.addAll(third);
    assertEquals(8 + 2, plan.plannedMax(runs.size()), "b0 and c0 may still get cycle 4");
    // b0: 100, 110, 105 → ±12.4, 11.8 % of 105: not; c0: 100, 100 → within.
    plan.record("b0", 105.0);
    plan.record("c0", 100.0);
    List<PlannedRun> fourth = plan.nextCycle(runs.size());
    assertEquals(List.of("b0.c4"), ids(fourth));
    runs.addAll(fourth);
    plan.record("b0", 200.0);
    assertEquals(List.of(), plan.nextCycle(runs.size()), "max reached");
    assertEquals(9, plan.plannedMax(runs.size()));

    List<ExperimentConvergence> conv = plan.convergence();
    assertEquals(List.of(2, 4, 2), conv.stream().map(ExperimentConvergence::n).toList());
    assertEquals(List.of(2, 4, 3), conv.stream().map(ExperimentConvergence::cycles).toList());
    assertEquals(
        List.of(true, false, true), conv.stream().map(ExperimentConvergence::converged).toList());
    assertEquals(0.0, conv.get(0).relativeHalfWidth());
    assertEquals(128.75, conv.get(1).mean(), 1e-12);
    // The cached t quantile gives exactly MetricStats' interval.
    var b0 =
        org.llenergymeasure.campaign.workflows.cycles.MetricStats.EMPTY
            .add(100)
            .add(110)
            .add(105)
            .add(200)
            .interval(0.95);
    assertEquals(b0.halfWidth(), conv.get(1).halfWidth());
  }

  @Test
  void theCompactStateRebuildsTheGrownPlan() throws Exception {
    LoadedCampaign l = load(4, "latin-square");
    Campaign c = l.campaign();
    AdaptivePlan plan = AdaptivePlan.start(c);
    List<PlannedRun> runs = new ArrayList<>(l.plan().runs());
    for (String e : List.of("a0", "b0", "c0", "d0")) {
      plan.record(e, 100.0);
      plan.record(e, e.equals("b0") ? 100.0 : 150.0);
    }
    runs.addAll(plan.nextCycle(runs.size()));
    // latin-square n = 4, cycle 3 is row 2: 2 3 1 0 (c d b a), without b.
    assertEquals(List.of("c0.c3", "d0.c3", "a0.c3"), ids(runs.subList(8, 11)));
    CampaignState state = plan.into(RunBook.start(runs.size(), 1).continueAsNewState());
    assertEquals(List.of(3, 2, 3, 3), state.cyclesPlanned());
    // Through JSON, as continue-as-new carries it.
    var mapper = org.llenergymeasure.campaign.workflows.LlemDataConverter.objectMapper();
    CampaignState back = mapper.readValue(mapper.writeValueAsString(state), CampaignState.class);
    assertEquals(state, back);
    AdaptivePlan again = AdaptivePlan.from(c, back);
    List<PlannedRun> rebuilt = new ArrayList<>(l.plan().runs());
    rebuilt.addAll(again.laterRuns(rebuilt.size()));
    assertEquals(runs, rebuilt);
    assertEquals(plan.convergence(), again.convergence());
    assertEquals(plan.plannedMax(runs.size()), again.plannedMax(rebuilt.size()));
  }

  @Test
  void aStateWithoutTheCompactFormIsThePlanAtStart() throws Exception {
    Campaign c = load(2, "interleave").campaign();
    CampaignState old = RunBook.start(4, 1).continueAsNewState();
    assertNull(old.cyclesPlanned());
    assertEquals(List.of(), AdaptivePlan.from(c, old).laterRuns(4));
    assertTrue(
        new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsString(old)
                .indexOf("cyclesPlanned")
            < 0,
        "absent from the JSON of a fixed count of cycles");
  }

  @Test
  void theProgressListsAtMostAHundredExperimentsAndCountsTheRest() throws Exception {
    AdaptivePlan plan = AdaptivePlan.start(load(103, "interleave").campaign());
    assertEquals(AdaptivePlan.CONVERGENCE_SHOWN, plan.convergence().size());
    assertEquals(3, plan.convergenceOmitted());
    assertFalse(plan.convergence().get(0).converged());
    assertNull(plan.convergence().get(0).mean());
  }

  @Test
  void anAdaptiveCampaignPacksAndUnpacksUnchanged() throws Exception {
    Campaign c = load(3, "shuffle").campaign();
    assertEquals(c, CampaignPack.unpack(CampaignPack.pack(c)));
  }

  @Test
  void runBookAppendAddsPendingRunsAtTheEnd() {
    RunBook book = RunBook.start(2, 1);
    book.started(0);
    book.set(0, RunStatus.COMPLETED);
    book.started(1);
    book.set(1, RunStatus.COMPLETED);
    assertEquals(-1, book.firstPending());
    book.append(3);
    assertEquals(5, book.planned());
    assertEquals(2, book.firstPending());
    assertEquals(3, book.count(RunStatus.PENDING));
    assertEquals("CCPPP".length(), book.continueAsNewState().runs().length());
  }
}
