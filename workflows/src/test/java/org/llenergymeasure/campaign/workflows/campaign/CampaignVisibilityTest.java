package org.llenergymeasure.campaign.workflows.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.config.Cooldown;
import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.config.PlannedRun;
import org.llenergymeasure.campaign.workflows.LlemDataConverter;
import org.llenergymeasure.campaign.workflows.LlemSearchAttributes;
import org.llenergymeasure.campaign.workflows.TestExperiments;
import org.llenergymeasure.campaign.workflows.run.RunOutcome;

/** The pure parts of what a campaign shows: memo, summaries, a run's search attributes. */
class CampaignVisibilityTest {

  private static CampaignProgress progress(CampaignStatus state, long completed, String reason) {
    return new CampaignProgress(
        "demo",
        state,
        4,
        completed,
        0,
        0,
        4 - completed,
        List.of(),
        List.of(),
        null,
        reason,
        1,
        List.of());
  }

  /** The memo as the recorded histories hold it, and {@code list} reads it. */
  @Test
  void theProgressMemoKeepsItsKeysAndTheStateAsText() throws Exception {
    Map<String, Object> memo =
        CampaignVisibility.progressMemo(progress(CampaignStatus.RUNNING, 0, null));
    assertEquals(
        "{\"state\":\"running\",\"reason\":null,\"planned\":4,\"completed\":0,\"failed\":0,"
            + "\"skipped\":0,\"pending\":4}",
        LlemDataConverter.objectMapper().writeValueAsString(memo));
    assertEquals("running", memo.get("state"));
  }

  @Test
  void onlyWhatTheSearchAttributesAndMemoShowCountsAsAChange() {
    CampaignProgress base = progress(CampaignStatus.RUNNING, 1, null);
    CampaignProgress runningRunsOnly =
        new CampaignProgress(
            "demo",
            CampaignStatus.RUNNING,
            4,
            1,
            0,
            0,
            3,
            List.of(new RunningRun("b.c1", "h1", List.of(), 1, "now")),
            List.of(),
            60L,
            null,
            2,
            List.of());
    assertEquals(CampaignVisibility.shown(base), CampaignVisibility.shown(runningRunsOnly));
    assertNotEquals(
        CampaignVisibility.shown(base),
        CampaignVisibility.shown(progress(CampaignStatus.PAUSED, 1, "paused by a user")));
    assertNotEquals(
        CampaignVisibility.shown(base),
        CampaignVisibility.shown(progress(CampaignStatus.RUNNING, 2, null)));
  }

  @Test
  void aRunsChildIsSummarisedWithItsPlace() {
    PlannedRun run = new PlannedRun("b.c2", "b", 2, 4);
    assertEquals("run b.c2 (5/12)", CampaignVisibility.runSummary(run, 12));
    assertEquals(
        "| experiment | cycle | image | GPUs | host |\n|---|---|---|---|---|\n"
            + "| b | 2 | `fake:1` | "
            + GpuRequest.of(List.of("1", "2"))
            + " | any |",
        CampaignVisibility.runDetails(
            run, TestExperiments.experiment("b", null, GpuRequest.of(List.of("1", "2")))));
    assertEquals(
        "| experiment | cycle | image | GPUs | host |\n|---|---|---|---|---|\n"
            + "| b | 2 | `fake:1` | "
            + GpuRequest.none()
            + " | h1 |",
        CampaignVisibility.runDetails(
            run, TestExperiments.experiment("b", "h1", GpuRequest.none())));
  }

  @Test
  void aRunStartsWithItsCampaignExperimentIdAndStatusRunning() {
    var attributes =
        CampaignVisibility.runSearchAttributes("demo", new PlannedRun("b.c2", "b", 2, 4));
    assertEquals(
        List.of("demo", "b", "b.c2", "running"),
        List.of(
            attributes.get(LlemSearchAttributes.CAMPAIGN),
            attributes.get(LlemSearchAttributes.EXPERIMENT),
            attributes.get(LlemSearchAttributes.RUN),
            attributes.get(LlemSearchAttributes.STATUS)));
  }

  @Test
  void timersAndCooldownsSayWhatTheyWaitFor() {
    assertEquals(
        "gap PT5S before b.c1",
        CampaignVisibility.gapSummary(false, Duration.ofSeconds(5), "b.c1"));
    assertEquals(
        "cycleGap PT2M before a.c2",
        CampaignVisibility.gapSummary(true, Duration.ofMinutes(2), "a.c2"));
    RunOutcome outcome =
        new RunOutcome(
            "a.c1",
            RunOutcome.Status.COMPLETED,
            1,
            "h1",
            null,
            List.of("GPU-1", "GPU-2"),
            List.of(),
            Map.of(),
            0,
            1,
            List.of());
    assertEquals(
        "cooldown after a.c1: GPUs 2 to idle +2 °C and ≤45 °C, at most PT15M",
        CampaignVisibility.cooldownSummary(
            outcome, new Cooldown(45, Duration.ofMinutes(15), true, 2, 15)));
  }
}
