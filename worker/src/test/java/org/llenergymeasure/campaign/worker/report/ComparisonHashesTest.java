package org.llenergymeasure.campaign.worker.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.worker.campaign.CampaignRecord;
import org.llenergymeasure.campaign.worker.campaign.PlanChanges;

/** Where {@code report --compare} takes each experiment's definition hash from. */
class ComparisonHashesTest {

  @TempDir Path dir;

  @Test
  void anOlderRecordGetsTheHashesOfTheFileItNamesAndNoneWhenItIsGone() throws Exception {
    Path file = dir.resolve("quickstart.yaml");
    Files.copy(Path.of("../examples/quickstart.yaml"), file);
    CampaignRecord older = new CampaignRecord("quickstart", "h", file.toString(), "t");
    Map<String, String> hashes = CampaignComparison.hashes(older);
    assertEquals(PlanChanges.experimentHashes(CampaignLoader.load(file).campaign()), hashes);
    assertTrue(hashes.size() >= 2, hashes.toString());
    Map<String, String> recorded = Map.of("small-on-gpu0", "0123456789ab");
    assertEquals(
        recorded,
        CampaignComparison.hashes(
            new CampaignRecord("quickstart", "h", file.toString(), "t", recorded)),
        "the hashes recorded at start win over the file as it is now");
    Files.delete(file);
    assertEquals(Map.of(), CampaignComparison.hashes(older));
  }
}
