package org.llenergymeasure.campaign.workflows.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.config.PlannedRun;

class StartRulesTest {

  /** Three experiments over two cycles: a [0, 1] and b [1, 2] overlap, c [3] overlaps neither. */
  private static final class Fixture {
    final RunBook book;
    final InFlightRuns inFlight = new InFlightRuns();
    final StartRules rules;
    final List<PlannedRun> runs;

    Fixture(String order) throws Exception {
      LoadedCampaign loaded =
          CampaignLoader.parse(
              String.join(
                  "\n",
                  "campaign: rules",
                  "defaults: {image: 'fake:1'}",
                  "experiments:",
                  "  - {name: a, gpus: [0, 1]}",
                  "  - {name: b, gpus: [1, 2]}",
                  "  - {name: c, gpus: [3]}",
                  "execution: {cycles: 2, order: "
                      + order
                      + ", concurrency: 2, gap: 5s, cycleGap: 1m}",
                  ""),
              "rules.yaml");
      runs = loaded.plan().runs();
      book = RunBook.start(runs.size(), 2);
      rules = new StartRules(loaded.campaign(), runs, book, inFlight);
    }

    void start(int index) {
      book.started(index);
      inFlight.add(new InFlight(runs.get(index), rules.experiment(runs.get(index)), 1, "now"));
    }

    void finish(int index) {
      book.set(index, RunStatus.COMPLETED);
      inFlight.remove(
          inFlight.all().stream().filter(f -> f.run.index() == index).findFirst().orElseThrow());
    }
  }

  private final Fixture t = new Fixture("interleave");

  StartRulesTest() throws Exception {}

  @Test
  void thePlanIsInterleavedCycleByCycle() {
    assertEquals(
        List.of("a.c1", "b.c1", "c.c1", "a.c2", "b.c2", "c.c2"),
        t.runs.stream().map(PlannedRun::runId).toList());
  }

  @Test
  void theFirstRunStartsAtOnceWithoutAPause() {
    assertEquals(0, t.rules.startable());
    assertEquals(Duration.ZERO, t.rules.pauseBefore(t.runs.get(0)));
  }

  @Test
  void aRunWaitsForOneWhoseGpusOverlapThenGetsTheGap() {
    t.start(0);
    assertEquals(-1, t.rules.startable(), "b [1, 2] overlaps a [0, 1]");
    t.finish(0);
    assertEquals(1, t.rules.startable());
    assertEquals(Duration.ofSeconds(5), t.rules.pauseBefore(t.runs.get(1)));
  }

  @Test
  void disjointRunsRunSideBySideUpToTheConcurrency() {
    t.start(0);
    t.finish(0);
    t.start(1);
    assertEquals(2, t.rules.startable(), "c [3] is disjoint from b [1, 2]");
    t.start(2);
    t.book.concurrency(3);
    assertEquals(
        -1, t.rules.startable(), "a.c2 opens a new cycle: the previous one must end first");
    t.book.concurrency(2);
    t.finish(1);
    t.finish(2);
    assertEquals(3, t.rules.startable());
    assertTrue(t.rules.startsNewCycle(t.runs.get(3)));
    assertEquals(
        Duration.ofMinutes(1), t.rules.pauseBefore(t.runs.get(3)), "cycleGap between cycles");
  }

  @Test
  void noRunStartsBeyondTheConcurrencyNorWhilePausedNorOnceEnded() {
    t.start(0);
    t.finish(0);
    t.start(1);
    t.book.concurrency(1);
    assertEquals(-1, t.rules.startable());
    t.book.concurrency(2);
    t.book.pause("paused by a user");
    assertEquals(-1, t.rules.startable());
    t.book.resume();
    assertEquals(2, t.rules.startable());
    t.book.end(CampaignStatus.CANCELED, "canceled");
    assertEquals(-1, t.rules.startable());
  }

  @Test
  void nothingStartsWhenNothingIsPending() {
    for (int i = 0; i < t.runs.size(); i++) {
      t.book.set(i, RunStatus.SKIPPED);
    }
    assertEquals(-1, t.rules.startable());
  }

  /** In grouped order an experiment's cycles follow each other: only the gap applies. */
  @Test
  void groupedOrderHasNoCycleBoundaries() throws Exception {
    Fixture grouped = new Fixture("grouped");
    assertEquals(
        List.of("a.c1", "a.c2", "b.c1", "b.c2", "c.c1", "c.c2"),
        grouped.runs.stream().map(PlannedRun::runId).toList());
    grouped.start(0);
    grouped.finish(0);
    assertFalse(grouped.rules.startsNewCycle(grouped.runs.get(1)));
    assertEquals(Duration.ofSeconds(5), grouped.rules.pauseBefore(grouped.runs.get(1)));
  }
}
