package org.llenergymeasure.campaign.workflows.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.PlanBuilder;
import org.llenergymeasure.campaign.config.PlannedRun;
import org.llenergymeasure.campaign.workflows.plan.CampaignPack;

/** The plan rewrites of {@code amend}, without a workflow (PlanVersions is plain Java). */
class PlanVersionsTest {

  static Campaign campaign(String order, String... experiments) throws Exception {
    return CampaignLoader.parse(
            "campaign: x\ndefaults: {image: img:1}\nexperiments:\n"
                + String.join("\n", experiments)
                + "\nexecution: {cycles: 2, order: "
                + order
                + "}\n",
            "t.yaml")
        .campaign();
  }

  static List<String> ids(List<PlannedRun> runs) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      assertEquals(i, runs.get(i).index(), "indices follow the plan");
      out.add(runs.get(i).runId());
    }
    return out;
  }

  @Test
  void groupedOrderRenamesAndSkipsInPlaceAndAppendsTheAddedExperimentsCycles() throws Exception {
    Campaign v1 = campaign("grouped", "  - {name: a}", "  - {name: b}", "  - {name: c}");
    Campaign v2 =
        campaign("grouped", "  - {name: a, command: [new]}", "  - {name: c}", "  - {name: d}");
    List<PlannedRun> runs = new ArrayList<>(PlanBuilder.runs(v1));
    PlanVersions versions = PlanVersions.of(v1, "h1", null, runs);
    // a.c1 has run: from index 1 on nothing has started.
    PlanVersions.Applied applied = versions.apply(v2, 1, runs.size(), 0, runs, i -> false);
    assertEquals(
        List.of("a.c1", "a@v2.c2", "b.c1", "b.c2", "c.c1", "c.c2", "d.c1", "d.c2"), ids(runs));
    assertEquals(List.of(2, 3), applied.removedRuns());
    assertEquals("[new]", String.valueOf(versions.definition("a@v2").command()));
    assertEquals(Map.of("a", "a@v2", "c", "c", "d", "d"), versions.currentPlan("p").runNames());
  }

  @Test
  void theCyclesNotStartedArePlannedAnewAndRebuiltTheSameFromTheCarriedAmendments()
      throws Exception {
    Campaign v1 = campaign("reverse", "  - {name: a}", "  - {name: b}");
    Campaign v2 = campaign("reverse", "  - {name: a}", "  - {name: c}");
    Campaign v3 = campaign("reverse", "  - {name: a}", "  - {name: b}", "  - {name: c}");
    List<PlannedRun> runs = new ArrayList<>(PlanBuilder.runs(v1));
    assertEquals(List.of("a.c1", "b.c1", "b.c2", "a.c2"), ids(runs));
    PlanVersions versions = PlanVersions.of(v1, "h1", null, runs);
    // a.c1 ran; b.c1 (cycle 1, under way) is removed; cycle 2 is planned anew with c.
    PlanVersions.Applied first = versions.apply(v2, 1, 2, 1, runs, i -> false);
    assertEquals(List.of(1), first.removedRuns());
    assertEquals(List.of("a.c1", "b.c1", "c.c2", "a.c2", "b.c2"), ids(runs));
    assertEquals(List.of(false, false, true), first.replannedSkipped());
    Amendment a2 = new Amendment(2, "h2", CampaignPack.pack(v2), 1, 2, 1, "v2");
    versions.record(a2);
    // Nothing more started; b comes back, under a new name, in cycle 2.
    versions.apply(v3, 1, 2, 1, runs, i -> false);
    assertEquals(
        List.of("a.c1", "b.c1", "c.c2", "b@v3.c2", "a.c2"), ids(runs), "b.c1, skipped by v2, kept");
    Amendment a3 = new Amendment(3, "h3", CampaignPack.pack(v3), 1, 2, 1, "v3");
    versions.record(a3);
    assertEquals(List.of("h1", "h2", "h3"), versions.hashes());

    // After continue-as-new: the same plan from the first file and the carried amendments.
    CampaignState state = versions.into(RunBook.start(runs.size(), 1).continueAsNewState());
    List<PlannedRun> rebuilt = new ArrayList<>(PlanBuilder.runs(v1));
    PlanVersions again = PlanVersions.of(v1, "h1", state, rebuilt);
    assertEquals(ids(runs), ids(rebuilt));
    assertEquals(3, again.version());
    assertEquals(List.of("h1", "h2", "h3"), again.hashes());
    assertEquals(List.of("h1", "h2", "h3"), state.planHashes());
  }
}
