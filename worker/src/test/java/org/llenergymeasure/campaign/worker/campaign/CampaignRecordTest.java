package org.llenergymeasure.campaign.worker.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CampaignRecordTest {

  @TempDir Path results;

  @Test
  void theFirstStartIsKeptWhenRunAttachesAgain() {
    assertEquals(Optional.empty(), CampaignRecord.read(results, "c"));
    assertTrue(
        new CampaignRecord("c", "h1", "/a/c.yaml", "2026-01-01T00:00:00Z").writeIfAbsent(results));
    assertFalse(
        new CampaignRecord("c", "h1", "/a/c.yaml", "2026-01-02T00:00:00Z").writeIfAbsent(results));
    assertEquals(
        new CampaignRecord("c", "h1", "/a/c.yaml", "2026-01-01T00:00:00Z"),
        CampaignRecord.read(results, "c").orElseThrow());
    assertTrue(Files.isRegularFile(results.resolve("c/campaign.json")));
  }

  @Test
  void anUnreadableFileReadsAsAbsent() throws Exception {
    Files.createDirectories(results.resolve("c"));
    Files.writeString(results.resolve("c/campaign.json"), "{not json");
    assertEquals(Optional.empty(), CampaignRecord.read(results, "c"));
  }
}
