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
  void theExperimentsHashesAreKeptAndAnOlderRecordReadsWithout() throws Exception {
    new CampaignRecord("c", "h1", null, "2026-01-01T00:00:00Z", java.util.Map.of("x", "abc"))
        .writeIfAbsent(results);
    assertEquals(
        java.util.Map.of("x", "abc"),
        CampaignRecord.read(results, "c").orElseThrow().experiments());
    Files.createDirectories(results.resolve("old"));
    Files.writeString(
        results.resolve("old/campaign.json"),
        "{\"campaign\": \"old\", \"planHash\": \"h\", \"file\": null, \"startedAt\": \"t\"}");
    assertEquals(null, CampaignRecord.read(results, "old").orElseThrow().experiments());
  }

  @Test
  void anUnreadableFileReadsAsAbsent() throws Exception {
    Files.createDirectories(results.resolve("c"));
    Files.writeString(results.resolve("c/campaign.json"), "{not json");
    assertEquals(Optional.empty(), CampaignRecord.read(results, "c"));
  }
}
