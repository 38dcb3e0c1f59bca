package org.llenergymeasure.campaign.workflows.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.common.converter.DataConverter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.config.PlannedRun;
import org.llenergymeasure.campaign.workflows.LlemDataConverter;
import org.llenergymeasure.campaign.workflows.plan.CampaignPack;

class AttemptCodesTest {

  private static final DataConverter CONVERTER = LlemDataConverter.create();

  @Test
  void compactAttemptsReadBackAsTheMapTheyCameFrom() {
    List<PlannedRun> runs = runs(5, "e");
    Map<String, Integer> used = new TreeMap<>(Map.of("e0.c1", 1, "e2.c1", 61, "e4.c1", 200));
    CampaignState state = state("CCPFC", used);

    CampaignState compact = AttemptCodes.compact(state, runs);
    CampaignState back = AttemptCodes.expand(compact, runs);

    assertEquals("10Z0" + "0", compact.attempts());
    assertEquals(Map.of("e4.c1", 200), compact.attemptsUsed(), "only what one letter cannot hold");
    assertEquals(used, back.attemptsUsed());
    assertNull(back.attempts());
    assertEquals(state, back);
  }

  @Test
  void aStateWrittenBeforeTheCompactFormIsReadAsItIs() {
    CampaignState old = state("CC", Map.of("e0.c1", 2, "e1.c1", 1));
    assertEquals(old, AttemptCodes.expand(old, runs(2, "e")));
  }

  /**
   * 100,000 finished runs with long names, each used two attempts: written out, the counters alone
   * are about 7 MB (over the server's 2 MiB limit on a payload, so continue-as-new failed);
   * compact, the whole continue-as-new input stays under it next to the largest packed campaign.
   */
  @Test
  void theContinueAsNewStateOfOneHundredThousandFinishedRunsStaysUnderTheLimit() {
    String name = "llama-3.1-70b-instruct-vllm-tp4-batch-128-prompt-2048-output-512";
    List<PlannedRun> runs = runs(100_000, name.substring(0, 56) + "-");
    Map<String, Integer> used = new TreeMap<>();
    runs.forEach(r -> used.put(r.runId(), 2));
    CampaignState finished = state("C".repeat(runs.size()), used);

    long before = bytes(finished);
    long after = bytes(AttemptCodes.compact(finished, runs));

    assertTrue(before > 2 * 1024 * 1024, "written out: " + before + " bytes");
    assertTrue(after < 250_000, "compact: " + after + " bytes");
    assertTrue(
        after + CampaignPack.MAX_PACKED_BYTES < 2 * 1024 * 1024,
        "with the largest packed campaign the continue-as-new input stays under 2 MiB");
  }

  private static long bytes(CampaignState s) {
    return CONVERTER.toPayloads(s).get().getSerializedSize();
  }

  private static List<PlannedRun> runs(int n, String prefix) {
    List<PlannedRun> runs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      runs.add(new PlannedRun(PlannedRun.runId(prefix + i, 1), prefix + i, 1, i));
    }
    return runs;
  }

  private static CampaignState state(String codes, Map<String, Integer> used) {
    List<RecentFailure> failures = new ArrayList<>();
    for (int i = 0; i < RunBook.RECENT_FAILURES_KEPT; i++) {
      failures.add(new RecentFailure("e0.c1", "ContainerExit", "x".repeat(200)));
    }
    return new CampaignState(
        codes, used, failures, 3, 3000, 2, null, 0, codes.length() - 1, 1, null, null);
  }
}
