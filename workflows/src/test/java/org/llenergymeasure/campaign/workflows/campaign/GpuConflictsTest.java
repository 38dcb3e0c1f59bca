package org.llenergymeasure.campaign.workflows.campaign;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.llenergymeasure.campaign.workflows.TestExperiments.experiment;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.GpuRequest;

class GpuConflictsTest {

  private static Experiment on(String host, GpuRequest gpus) {
    return experiment("e", host, gpus);
  }

  private static Experiment list(String... selectors) {
    return on(null, GpuRequest.of(List.of(selectors)));
  }

  private static void overlap(Experiment a, Experiment b) {
    assertTrue(GpuConflicts.mayOverlap(a, b), a.gpus() + " / " + b.gpus());
    assertTrue(GpuConflicts.mayOverlap(b, a), "symmetric: " + b.gpus() + " / " + a.gpus());
  }

  private static void apart(Experiment a, Experiment b) {
    assertFalse(GpuConflicts.mayOverlap(a, b), a.gpus() + " / " + b.gpus());
    assertFalse(GpuConflicts.mayOverlap(b, a), "symmetric: " + b.gpus() + " / " + a.gpus());
  }

  @Test
  void explicitSelectionsConflictWhenTheyShareASelector() {
    overlap(list("0", "1"), list("1", "2"));
    apart(list("0", "1"), list("2", "3"));
  }

  @Test
  void aUuidPrefixConflictsWithTheUuidItNamesWhateverTheCase() {
    overlap(list("GPU-8f3a"), list("gpu-8F3A2b11-0000"));
    overlap(list("MIG-ab"), list("mig-abcd"));
    apart(list("GPU-8f3a"), list("GPU-8f3b"));
  }

  @Test
  void anIndexIsNotAPrefixOfAnother() {
    apart(list("1"), list("10"));
  }

  @Test
  void allConflictsWithEveryGpuRunAndNoneWithNothing() {
    overlap(on(null, GpuRequest.all()), list("5"));
    overlap(on(null, GpuRequest.all()), on(null, GpuRequest.count(1)));
    apart(on(null, GpuRequest.none()), on(null, GpuRequest.all()));
    apart(on(null, GpuRequest.none()), list("0"));
  }

  /** The host's leases give a counted run free GPUs only; the campaign need not wait. */
  @Test
  void aCountNeverConflictsWithAListOrACount() {
    apart(on(null, GpuRequest.count(2)), list("0", "1"));
    apart(on(null, GpuRequest.count(2)), on(null, GpuRequest.count(2)));
  }

  @Test
  void runsPinnedToDifferentHostsNeverConflictButOneUnpinnedMay() {
    apart(on("h1", GpuRequest.all()), on("h2", GpuRequest.all()));
    overlap(on("h1", GpuRequest.all()), on("h1", GpuRequest.of(List.of("0"))));
    overlap(on("h1", GpuRequest.of(List.of("0"))), list("0"));
  }
}
