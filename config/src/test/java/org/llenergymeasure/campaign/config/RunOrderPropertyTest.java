package org.llenergymeasure.campaign.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Properties of the run orders over many sizes, cycle counts and seeds. */
class RunOrderPropertyTest {

  private static List<String> ids(Plan p) {
    return p.runs().stream().map(PlannedRun::runId).toList();
  }

  /** The experiment names of one cycle, in order. */
  private static List<String> cycle(Plan p, int c) {
    return p.runs().stream().filter(r -> r.cycle() == c).map(PlannedRun::experiment).toList();
  }

  @Test
  void theSpecExamplesForThreeExperimentsAndThreeCycles() {
    // Experiments A, B, C are e0, e1, e2.
    assertEquals(
        List.of("e0.c1", "e0.c2", "e0.c3", "e1.c1", "e1.c2", "e1.c3", "e2.c1", "e2.c2", "e2.c3"),
        ids(PlanBuilder.plan(Campaigns.of(3, 3, RunOrder.GROUPED, 0))));
    assertEquals(
        List.of("e0.c1", "e1.c1", "e2.c1", "e0.c2", "e1.c2", "e2.c2", "e0.c3", "e1.c3", "e2.c3"),
        ids(PlanBuilder.plan(Campaigns.of(3, 3, RunOrder.INTERLEAVE, 0))));
    assertEquals(
        List.of("e0.c1", "e1.c1", "e2.c1", "e2.c2", "e1.c2", "e0.c2", "e0.c3", "e1.c3", "e2.c3"),
        ids(PlanBuilder.plan(Campaigns.of(3, 3, RunOrder.REVERSE, 0))));
  }

  @Test
  void everyOrderRunsEachExperimentOncePerCycleWithConsecutiveIndices() {
    for (RunOrder order : RunOrder.values()) {
      for (int n = 1; n <= 9; n++) {
        for (int cycles : new int[] {1, 2, 3, n, 2 * n + 1}) {
          Plan p = PlanBuilder.plan(Campaigns.of(n, cycles, order, 7));
          assertEquals(n * cycles, p.runs().size());
          Set<String> all = new HashSet<>();
          for (int i = 0; i < p.runs().size(); i++) {
            PlannedRun r = p.runs().get(i);
            assertEquals(i, r.index());
            assertEquals(r.experiment() + ".c" + r.cycle(), r.runId());
            assertTrue(all.add(r.runId()), "duplicate run " + r.runId());
          }
          for (int c = 1; c <= cycles; c++) {
            assertEquals(Set.copyOf(names(n)), Set.copyOf(cycle(p, c)), order + " cycle " + c);
            assertEquals(n, cycle(p, c).size());
          }
          if (order != RunOrder.GROUPED) {
            for (int i = 1; i < p.runs().size(); i++) {
              assertTrue(
                  p.runs().get(i - 1).cycle() <= p.runs().get(i).cycle(),
                  "cycles run one after the other in " + order);
            }
          }
        }
      }
    }
  }

  @Test
  void latinSquareIsBalancedForEvenN() {
    for (int n = 2; n <= 16; n += 2) {
      Plan p = PlanBuilder.plan(Campaigns.of(n, n, RunOrder.LATIN_SQUARE, 0));
      assertPositions(p, n, n, 1);
      Map<String, Integer> pairs = adjacentPairs(p, n, 1, n);
      assertEquals(n * (n - 1), pairs.size(), "every ordered pair appears, n=" + n);
      for (Map.Entry<String, Integer> e : pairs.entrySet()) {
        assertEquals(1, e.getValue(), "pair " + e.getKey() + " for n=" + n);
      }
    }
  }

  @Test
  void latinSquareForOddNUsesTheSquareAndItsMirror() {
    for (int n = 3; n <= 15; n += 2) {
      // The first n cycles are a latin square: every experiment in every position once.
      assertPositions(PlanBuilder.plan(Campaigns.of(n, n, RunOrder.LATIN_SQUARE, 0)), n, n, 1);
      // Over 2n cycles every position twice and every ordered pair adjacent exactly twice.
      Plan p = PlanBuilder.plan(Campaigns.of(n, 2 * n, RunOrder.LATIN_SQUARE, 0));
      assertPositions(p, n, 2 * n, 2);
      Map<String, Integer> pairs = adjacentPairs(p, n, 1, 2 * n);
      assertEquals(n * (n - 1), pairs.size());
      for (Map.Entry<String, Integer> e : pairs.entrySet()) {
        assertEquals(2, e.getValue(), "pair " + e.getKey() + " for n=" + n);
      }
    }
  }

  @Test
  void latinSquareRepeatsItsRowsAfterThePeriod() {
    for (int n : new int[] {4, 5}) {
      int period = n % 2 == 0 ? n : 2 * n;
      Plan p = PlanBuilder.plan(Campaigns.of(n, 2 * period + 1, RunOrder.LATIN_SQUARE, 0));
      for (int c = 1; c <= period + 1; c++) {
        assertEquals(cycle(p, c), cycle(p, c + period));
      }
    }
  }

  @Test
  void shuffleWithTheSameSeedGivesTheSamePlan() {
    for (long seed : new long[] {0, 1, -1, 42, Long.MAX_VALUE, Long.MIN_VALUE}) {
      Plan a = PlanBuilder.plan(Campaigns.of(10, 5, RunOrder.SHUFFLE, seed));
      Plan b = PlanBuilder.plan(Campaigns.of(10, 5, RunOrder.SHUFFLE, seed));
      assertEquals(a, b);
    }
  }

  /**
   * Compared pair by pair: a plan of n=4 and few cycles has only 24^cycles forms, so among many
   * seeds some pair shares one by chance (birthday paradox); for a given pair that is 24^-5 here.
   */
  @Test
  void shuffleWithDifferentSeedsGivesDifferentPlans() {
    Random random = new Random(20261101);
    List<long[]> pairs =
        new ArrayList<>(
            List.of(
                new long[] {0, 1},
                new long[] {1, 2},
                new long[] {-1, 0},
                new long[] {Long.MAX_VALUE, Long.MIN_VALUE},
                new long[] {0, 1L << 48}));
    for (int i = 0; i < 40; i++) {
      pairs.add(new long[] {random.nextLong(), random.nextLong()});
    }
    for (int n = 4; n <= 10; n++) {
      for (long[] pair : pairs) {
        List<String> a = ids(PlanBuilder.plan(Campaigns.of(n, 5, RunOrder.SHUFFLE, pair[0])));
        List<String> b = ids(PlanBuilder.plan(Campaigns.of(n, 5, RunOrder.SHUFFLE, pair[1])));
        assertNotEquals(a, b, "seeds " + pair[0] + " and " + pair[1] + ", n=" + n);
        assertNotEquals(ids(PlanBuilder.plan(Campaigns.of(n, 5, RunOrder.INTERLEAVE, 0))), a);
      }
    }
  }

  @Test
  void shuffleGivesAFreshPermutationEachCycle() {
    Plan p = PlanBuilder.plan(Campaigns.of(8, 4, RunOrder.SHUFFLE, 0));
    Set<List<String>> cycles = new HashSet<>();
    for (int c = 1; c <= 4; c++) {
      cycles.add(cycle(p, c));
    }
    assertEquals(4, cycles.size());
  }

  /**
   * The documented algorithm (RunOrders javadoc), written again here from the description: a
   * SplitMix64-mixed seed for java.util.Random and a Fisher–Yates shuffle per cycle.
   */
  @Test
  void shuffleFollowsTheDocumentedAlgorithm() {
    long seed = 12345;
    long z = seed + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    Random rng = new Random(z ^ (z >>> 31));
    int n = 6;
    Plan p = PlanBuilder.plan(Campaigns.of(n, 3, RunOrder.SHUFFLE, seed));
    for (int c = 1; c <= 3; c++) {
      List<String> expected = new ArrayList<>(names(n));
      for (int i = n - 1; i > 0; i--) {
        java.util.Collections.swap(expected, i, rng.nextInt(i + 1));
      }
      assertEquals(expected, cycle(p, c));
    }
  }

  private static List<String> names(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("e" + i);
    }
    return out;
  }

  /** Over cycles 1..cycles every experiment takes every position {@code times} times. */
  private static void assertPositions(Plan p, int n, int cycles, int times) {
    Map<String, Integer> counts = new HashMap<>();
    for (int c = 1; c <= cycles; c++) {
      List<String> row = cycle(p, c);
      for (int pos = 0; pos < n; pos++) {
        counts.merge(row.get(pos) + "@" + pos, 1, Integer::sum);
      }
    }
    assertEquals(n * n, counts.size());
    counts.values().forEach(v -> assertEquals(times, v));
  }

  private static Map<String, Integer> adjacentPairs(Plan p, int n, int from, int to) {
    Map<String, Integer> pairs = new HashMap<>();
    for (int c = from; c <= to; c++) {
      List<String> row = cycle(p, c);
      for (int i = 1; i < n; i++) {
        pairs.merge(row.get(i - 1) + ">" + row.get(i), 1, Integer::sum);
      }
    }
    return pairs;
  }
}
