package org.llenergymeasure.campaign.workflows.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.config.Names;
import org.llenergymeasure.campaign.config.PlanBuilder;
import org.llenergymeasure.campaign.workflows.plan.CampaignPack;

class FiringNamesTest {

  @Test
  void aFiringIsNamedAfterTheTimeTheScheduleAppendedToItsWorkflowId() {
    assertEquals(
        "nightly-20261207t020000z",
        FiringNames.of("nightly", "schedule/nightly-2026-12-07T02:00:00Z", 0));
    // An offset other than Z (not what Temporal writes, but RFC 3339) is the same instant in UTC.
    assertEquals(
        "nightly-20261207t010000z",
        FiringNames.of("nightly", "schedule/nightly-2026-12-07T02:00:00+01:00", 0));
    // Started by hand under another id: the workflow's own clock.
    long at = Instant.parse("2026-01-02T03:04:05.678Z").toEpochMilli();
    assertEquals("nightly-20260102t030405z", FiringNames.of("nightly", "something-else", at));
    assertEquals("nightly-20260102t030405z", FiringNames.of("nightly", "schedule/nightly-x", at));
  }

  @Test
  void theLongestScheduleNameStillGivesValidCampaignNames() {
    String longest = "n".repeat(FiringNames.MAX_SCHEDULE_NAME);
    String firing = FiringNames.of(longest, "schedule/" + longest + "-2026-12-07T02:00:00Z", 0);
    assertEquals(63, firing.length());
    assertNull(Names.nameProblem(firing));
    assertNull(Names.nameProblem(FiringNames.of("a.b_c-1", "x", 0)));
  }

  @Test
  void aRenamedPackedCampaignKeepsEverythingButItsNameAndItsPlanHash() throws Exception {
    LoadedCampaign loaded =
        CampaignLoader.parse(
            String.join(
                "\n",
                "campaign: file-name",
                "defaults: {image: 'img:1', gpus: [0]}",
                "experiments:",
                "  - name: a",
                "  - name: b",
                "    command: [run, b]",
                "execution: {cycles: 2, order: shuffle, seed: 3}",
                ""),
            "f.yaml");
    Campaign renamed =
        CampaignPack.unpack(
            CampaignPack.withName(
                CampaignPack.pack(loaded.campaign()), "nightly-20261207t020000z"));
    assertEquals("nightly-20261207t020000z", renamed.name());
    assertEquals(loaded.campaign().experiments(), renamed.experiments());
    assertEquals(loaded.campaign().execution(), renamed.execution());
    assertEquals(loaded.plan().hash(), PlanBuilder.plan(renamed).hash());
  }
}
