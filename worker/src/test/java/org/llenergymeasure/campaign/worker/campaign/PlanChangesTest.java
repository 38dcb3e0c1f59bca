package org.llenergymeasure.campaign.worker.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.CampaignLoader;

class PlanChangesTest {

  private static Campaign parse(String experiments, String execution) throws Exception {
    return CampaignLoader.parse(
            "campaign: c\ndefaults: {image: 'img:1'}\nexperiments:\n"
                + experiments
                + "execution:\n"
                + execution,
            "c.yaml")
        .campaign();
  }

  @Test
  void namesAddedRemovedAndChangedExperiments() throws Exception {
    Map<String, String> running =
        PlanChanges.experimentHashes(
            parse("  - name: a\n    gpus: [0]\n  - name: b\n    gpus: [1]\n", "  cycles: 2\n"));
    Map<String, String> file =
        PlanChanges.experimentHashes(
            parse(
                "  - name: a\n    gpus: [0]\n  - name: b\n    gpus: [2]\n  - name: c\n",
                "  cycles: 2\n"));
    assertEquals(running.get("a"), file.get("a"));
    assertNotEquals(running.get("b"), file.get("b"));
    assertEquals("experiments added c; changed b", PlanChanges.describe(running, file));
    assertEquals("experiments removed c; changed b", PlanChanges.describe(file, running));
  }

  @Test
  void labelsDoNotCountAndSameExperimentsPointAtTheExecutionSettings() throws Exception {
    Map<String, String> running =
        PlanChanges.experimentHashes(parse("  - name: a\n    labels: {x: '1'}\n", "  cycles: 2\n"));
    Map<String, String> file =
        PlanChanges.experimentHashes(parse("  - name: a\n    labels: {x: '2'}\n", "  cycles: 3\n"));
    assertEquals(running, file);
    assertEquals(
        "the experiments are the same; the execution settings (cycles, order, seed, gaps, cooldown,"
            + " concurrency, failure policy) or the attach mode differ",
        PlanChanges.describe(running, file));
  }
}
