package org.llenergymeasure.campaign.workflows.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.common.converter.DataConverter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.config.PlanBuilder;
import org.llenergymeasure.campaign.workflows.LlemDataConverter;
import org.llenergymeasure.campaign.workflows.campaign.CampaignInput;

class CampaignPackTest {

  private static final DataConverter CONVERTER = LlemDataConverter.create();

  @Test
  void packingGivesBackAnEqualCampaignWithItsSharedAndEscapedStrings() throws Exception {
    String shared = "s".repeat(5000);
    LoadedCampaign loaded =
        CampaignLoader.parse(
            String.join(
                "\n",
                "campaign: pack-round-trip",
                "description: a campaign",
                "defaults:",
                "  image: 'img:1'",
                "  gpus: [0]",
                "  env: {SHARED: '" + shared + "', ODD: \"\\x01starts with the escape\"}",
                "  labels: {team: x}",
                "experiments:",
                "  - name: plain",
                "    command: [run, \"\\x01\", \"\\x01\\x01\"]",
                "    memory: 16g",
                "  - name: other",
                "    host: node-1",
                "    timeout: 2h",
                "    gpus: [1, 2]",
                "grid:",
                "  name: 'g-{a}'",
                "  base: {command: [run, '{a}']}",
                "  axes:",
                "    a: [1, 2, 3]",
                "execution: {cycles: 2, order: shuffle, seed: 7, gap: 5s}",
                ""),
            "t.yaml");
    Campaign campaign = loaded.campaign();

    Campaign back = CampaignPack.unpack(CampaignPack.pack(campaign));

    assertEquals(campaign, back);
    assertEquals(loaded.plan().hash(), PlanBuilder.plan(back).hash());
    assertEquals(shared, back.experiment("g-2").env().get("SHARED"));
    assertEquals("\u0001starts with the escape", back.experiment("plain").env().get("ODD"));
    assertEquals(List.of("run", "\u0001", "\u0001\u0001"), back.experiment("plain").command());
  }

  /** Today's input wrote every merged experiment out: about 70 MB for this grid. */
  @Test
  void hostsSelectorsAndAGpuModelTravel() throws Exception {
    Campaign campaign =
        CampaignLoader.parse(
                "campaign: pack-pool\nhosts: [node-1, {gpuModel: '*H100*', minMemoryGiB: 70}]\n"
                    + "experiments:\n  - {name: a, image: 'img:1', gpus: {count: 2, model: '*H1?0*'}}\n",
                "t.yaml")
            .campaign();
    Campaign back = CampaignPack.unpack(CampaignPack.pack(campaign));
    assertEquals(campaign, back);
    assertEquals("*H1?0*", back.experiment("a").gpus().model());
    assertEquals(campaign.hostsSpec(), back.hostsSpec());
  }

  @Test
  void aGridOfOneHundredThousandExperimentsTravelsFarBelowTheServersLimit() throws Exception {
    LoadedCampaign loaded = CampaignLoader.parse(grid(1000, 1), "grid.yaml");
    Campaign campaign = loaded.campaign();
    assertEquals(100_000, campaign.experiments().size());

    CampaignInput input =
        CampaignInput.packed(campaign, loaded.plan().hash(), List.of("gpu-host-1"), null);
    long bytes = CONVERTER.toPayloads(input).get().getSerializedSize();

    assertTrue(bytes < CampaignPack.MAX_PACKED_BYTES, "packed input of " + bytes + " bytes");
    assertEquals(campaign, input.unpackedCampaign());
  }

  @Test
  void aLongValueSharedByEveryExperimentIsStoredOnce() throws Exception {
    String word = randomish(120_000);
    String yaml =
        grid(10, 100).replace("gpus: [0]", "gpus: [0]\n  env: {TOKENS: \"" + word + "\"}");
    Campaign campaign = CampaignLoader.parse(yaml, "long.yaml").campaign();
    assertEquals(1000, campaign.experiments().size());

    int packed = CampaignPack.pack(campaign).length();

    // Deflate alone cannot see a repeat 120 KB apart: 1,000 copies would be ~90 MB.
    assertTrue(packed < 150_000, "packed " + packed + " bytes");
  }

  static String grid(int c, int cycles) {
    StringBuilder axis = new StringBuilder();
    for (int i = 0; i < c; i++) {
      axis.append(i == 0 ? "" : ", ").append(i);
    }
    return """
        campaign: big
        defaults:
          image: "registry.example.org/llenergymeasure/pytorch:1.4"
          gpus: [0]
        grid:
          name: "llama-3.1-8b-a{a}-b{b}-c{c}"
          base: {command: [llem, experiment, --a, "{a}", --b, "{b}", --c, "{c}"]}
          axes:
            a: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
            b: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
            c: [%s]
        execution: {cycles: %d, order: interleave}
        """
        .formatted(axis, cycles);
  }

  /** Letters that do not repeat within deflate's window (a fixed linear congruential sequence). */
  static String randomish(int length) {
    StringBuilder s = new StringBuilder(length);
    long x = 12345;
    for (int i = 0; i < length; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      s.append((char) ('a' + (int) ((x >>> 33) % 26)));
    }
    return s.toString();
  }
}
