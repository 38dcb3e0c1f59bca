package org.llenergymeasure.campaign.workflows.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The campaign page's live details in the Web UI. */
class CampaignMarkdownTest {

  @Test
  void aRunningCampaignShowsItsTotalsItsRunningRunsAndItsEta() {
    String md =
        CampaignMarkdown.render(
            new CampaignProgress(
                "demo",
                CampaignStatus.RUNNING,
                10,
                4,
                1,
                0,
                4,
                List.of(
                    new RunningRun("e.c2", "h1", List.of("GPU-1", "GPU-2"), 2, "2026-01-01T00:00Z"),
                    new RunningRun("f.c2", null, List.of(), 1, "2026-01-01T00:01Z")),
                List.of(new RecentFailure("d.c1", "ExitNonZero", "exited | 3\nsee log")),
                125L,
                null,
                2,
                List.of()));
    assertEquals(
        "**running** · 5/10 runs done · concurrency 2 · ETA 2m 05s\n\n"
            + "| planned | completed | failed | skipped | pending | running |\n"
            + "|---|---|---|---|---|---|\n"
            + "| 10 | 4 | 1 | 0 | 4 | 2 |\n\n"
            + "| running run | host | GPUs | attempt | since |\n|---|---|---|---|---|\n"
            + "| `e.c2` | h1 | GPU-1, GPU-2 | 2 | 2026-01-01T00:00Z |\n"
            + "| `f.c2` | routing… | — | 1 | 2026-01-01T00:01Z |\n\n"
            + "| failed run | type | message |\n|---|---|---|\n"
            + "| `d.c1` | ExitNonZero | exited / 3 see log |\n",
        md);
  }

  @Test
  void aPausedCampaignSaysWhyAndALongReasonIsCut() {
    String reason = "paused by a user: " + "x".repeat(300);
    String md =
        CampaignMarkdown.render(
            new CampaignProgress(
                "demo",
                CampaignStatus.PAUSED,
                2,
                0,
                0,
                0,
                2,
                List.of(),
                List.of(),
                null,
                reason,
                1,
                List.of()));
    assertTrue(md.startsWith("**paused** — " + reason.substring(0, 200) + "… · 0/2 runs done"), md);
    assertFalse(md.contains("ETA"), "no ETA before a run finished");
  }

  @Test
  void anEndedCampaignShowsNoEta() {
    String md =
        CampaignMarkdown.render(
            new CampaignProgress(
                "demo",
                CampaignStatus.COMPLETED,
                2,
                2,
                0,
                0,
                0,
                List.of(),
                List.of(),
                0L,
                null,
                1,
                List.of()));
    assertTrue(md.startsWith("**completed** · 2/2 runs done · concurrency 1\n"), md);
  }

  @Test
  void anAdaptiveCampaignShowsItsBoundAndEachExperimentsInterval() {
    CampaignProgress p =
        new CampaignProgress(
                "demo",
                CampaignStatus.RUNNING,
                6,
                4,
                0,
                0,
                2,
                List.of(),
                List.of(),
                60L,
                null,
                1,
                List.of())
            .withCycles(
                20L,
                List.of(
                    new ExperimentConvergence("a", 3, 10.1, 0.248414, 0.0245954, true, 3),
                    new ExperimentConvergence("b", 1, 5.0, null, null, false, 3)),
                2);
    String md = CampaignMarkdown.render(p);
    assertTrue(md.contains(" · ETA ≥ 1m 00s · planned so far; up to 20 runs"), md);
    assertTrue(
        md.contains(
            "| experiment | n | cycles | mean | ± half-width | ± % | converged |\n"
                + "|---|---|---|---|---|---|---|\n"
                + "| a | 3 | 3 | 10.1000 | 0.248414 | 2.46 | yes |\n"
                + "| b | 1 | 3 | 5.00000 | — | — | no |\n"
                + "\n… and 2 more experiments\n"),
        md);
  }
}
