package org.llenergymeasure.campaign.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.gpu.quarantine.QuarantineStore;
import org.llenergymeasure.campaign.worker.campaign.CampaignStatusReader;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.CampaignStatus;
import org.llenergymeasure.campaign.workflows.host.GpuHolder;
import org.llenergymeasure.campaign.workflows.host.QuarantinedGpu;

class QuarantineCommandTest {

  @TempDir Path home;

  private static final String GPU1 = "GPU-1b2c3d4e-2222-4f60-9bac-111111111111";

  private static QuarantinedGpu gpu(String uuid) {
    return new QuarantinedGpu(
        "h1",
        uuid,
        List.of(new GpuHolder(4242, "python3", 2566L)),
        2600L,
        "c/a.c1/a1",
        "2026-03-01T10:00:00Z",
        "a process is still on GPU 1 after cleanup: pid 4242 (python3, 2566 MiB)");
  }

  private void quarantine(String uuid) {
    QuarantineStore.forHost(home, "h1").quarantine(gpu(uuid));
  }

  private CliRun cli(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(List.of("--host-id", "h1", "--llem-home", home.toString()));
    return CliRun.of(all.toArray(String[]::new));
  }

  @Test
  void listShowsWhoHoldsTheGpuAndHowToReleaseIt() {
    assertEquals(
        List.of(), iterable(cli("quarantine", "list", "--json").json().get("quarantined")));
    quarantine(GPU1);
    CliRun run = cli("quarantine", "list", "--json");
    assertEquals(0, run.exit(), run.err());
    JsonNode q = run.json().get("quarantined").get(0);
    assertEquals(GPU1, q.get("uuid").asText());
    assertEquals(4242, q.get("processes").get(0).get("pid").asLong());
    assertEquals("python3", q.get("processes").get(0).get("name").asText());
    assertEquals("c/a.c1/a1", q.get("leftBy").asText());
    assertEquals("llem-campaign quarantine release " + GPU1, q.get("release").asText());
    assertHoldersUnderBothNames(q);
    CliRun text = cli("quarantine", "list");
    assertTrue(text.out().contains("pid 4242 (python3, 2566 MiB)"), text.out());
  }

  @Test
  void releaseByUuidOrAllAndAnUnknownUuidIsBadInput() {
    quarantine(GPU1);
    quarantine("GPU-2c3d4e5f-3333-4071-acbd-222222222222");
    CliRun unknown = cli("quarantine", "release", "GPU-ffff", "--json");
    JsonNode error = unknown.assertJsonError(2, "BadInput", false);
    assertTrue(
        error
            .get("message")
            .asText()
            .startsWith("GPU GPU-ffff is not quarantined on host h1; quarantined: " + GPU1),
        error.toString());

    CliRun one = cli("quarantine", "release", GPU1, "--json");
    assertEquals(0, one.exit(), one.err());
    assertEquals(GPU1, one.json().get("released").get(0).get("uuid").asText());
    assertEquals(1, QuarantineStore.forHost(home, "h1").list().size());

    CliRun all = cli("quarantine", "release", "--all");
    assertEquals(0, all.exit(), all.err());
    assertEquals(List.of(), QuarantineStore.forHost(home, "h1").list());
    assertEquals(2, cli("quarantine", "release").exit(), "a UUID or --all is required");
  }

  @Test
  void statusPrintsTheSameQuarantinedObjectAsQuarantineList() {
    CampaignProgress progress =
        new CampaignProgress(
            "c",
            CampaignStatus.RUNNING,
            2,
            1,
            0,
            0,
            1,
            List.of(),
            List.of(),
            null,
            null,
            1,
            List.of(gpu(GPU1)));
    JsonNode status =
        Console.mapper()
            .valueToTree(StatusCommand.toJson(progress, CampaignStatusReader.Source.QUERY));
    JsonNode q = status.get("quarantined").get(0);
    assertEquals(GPU1, q.get("uuid").asText());
    assertEquals("c/a.c1/a1", q.get("leftBy").asText());
    assertEquals("llem-campaign quarantine release " + GPU1, q.get("release").asText());
    assertHoldersUnderBothNames(q);
    assertEquals("query", status.get("source").asText());
    assertEquals(1, status.get("pending").asLong());
  }

  /**
   * cli-contract.md: the holders of a quarantined GPU under `holders` and its alias `processes`.
   */
  private static void assertHoldersUnderBothNames(JsonNode q) {
    assertTrue(q.has("holders") && q.has("processes"), q.toString());
    assertEquals(q.get("holders"), q.get("processes"), "the alias has the same content");
    assertEquals(4242, q.get("holders").get(0).get("pid").asLong());
    assertEquals("python3", q.get("holders").get(0).get("name").asText());
    assertEquals(2566, q.get("holders").get(0).get("usedMemoryMiB").asLong());
  }

  private static List<JsonNode> iterable(JsonNode array) {
    List<JsonNode> out = new java.util.ArrayList<>();
    array.forEach(out::add);
    return out;
  }
}
