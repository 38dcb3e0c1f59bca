package org.llenergymeasure.campaign.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.worker.campaign.RunHeartbeats.RunView;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.CampaignStatus;
import org.llenergymeasure.campaign.workflows.campaign.RunningRun;

class LiveProgressViewTest {

  private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

  @Test
  void theBlockShowsTheBarTotalsRunningRunsWithElapsedTimeAndLastLogLineAndTheEta() {
    LiveProgressView view =
        new LiveProgressView(
            new PrintStream(new ByteArrayOutputStream()),
            200,
            (c, r) -> new RunView(c + ":" + r + " says hi", null),
            () -> NOW);
    CampaignProgress p =
        new CampaignProgress(
            "camp",
            CampaignStatus.RUNNING,
            10,
            4,
            1,
            0,
            4,
            List.of(
                new RunningRun(
                    "e.c2", "gpu-a", List.of("GPU-1", "GPU-2"), 2, "2025-01-01T11:58:55Z")),
            List.of(),
            125L,
            null,
            1,
            List.of());
    List<String> block = view.block(p);
    assertEquals(2, block.size(), block.toString());
    // 5 of 10 done: half of the 30-character bar.
    assertTrue(block.get(0).contains("[" + "#".repeat(15) + "-".repeat(15) + "]"), block.get(0));
    assertTrue(block.get(0).contains("5/10 done: 4 completed, 1 failed, 0 skipped"), block.get(0));
    assertTrue(block.get(0).contains("ETA 2m 05s"), block.get(0));
    assertTrue(
        block.get(1).contains("e.c2  gpu-a  GPUs GPU-1,GPU-2  attempt 2  1m 05s"), block.get(1));
    assertTrue(block.get(1).endsWith("| camp:e.c2 says hi"), block.get(1));
  }

  @Test
  void eventsScrollAboveTheBlockWhichIsErasedAndRedrawnInPlace() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    LiveProgressView view =
        new LiveProgressView(
            new PrintStream(bytes, true, StandardCharsets.UTF_8), 80, (c, r) -> null, () -> NOW);
    CampaignProgress one =
        new CampaignProgress(
            "camp",
            CampaignStatus.RUNNING,
            2,
            0,
            0,
            0,
            1,
            List.of(new RunningRun("a.c1", null, List.of(), 1, NOW.toString())),
            List.of(),
            null,
            null,
            1,
            List.of());
    view.update(one);
    view.event(
        "a.c1 failed: ExitNonZero: exit 3 and a very long message that goes on and on past the width of this terminal");
    view.finish();
    String out = bytes.toString(StandardCharsets.UTF_8);
    // Drawn (2 lines), erased (cursor up 2, clear to the end), event, drawn again.
    assertTrue(out.contains("\r\033[2A\033[J"), out);
    int event = out.indexOf("a.c1 failed");
    assertTrue(event > 0 && out.indexOf("camp running", event) > event, out);
    for (String line : out.split("\n")) {
      String visible = line.replaceAll("\r?\033\\[[0-9]*[AJ]", "");
      assertTrue(
          visible.length() <= 80 || visible.contains("a.c1 failed"),
          "block lines fit the width: " + visible);
    }
    assertTrue(out.contains("(routing)"), out);
  }

  @Test
  void aRunningRunShowsItsStepBeforeItsLastLogLineUnlessThatLineIsTheEventItself() {
    String event = "{\"event\": \"step_update\", \"step\": \"warmup\", \"detail\": \"12/50\"}";
    assertEquals(
        "warmup: 12/50 | Downloading shards",
        LiveProgressView.shown(new RunView("Downloading shards", "warmup: 12/50")));
    assertEquals("warmup: 12/50", LiveProgressView.shown(new RunView(event, "warmup: 12/50")));
    assertEquals("plain", LiveProgressView.shown(new RunView("plain", null)));
    assertEquals(null, LiveProgressView.shown(new RunView(" ", null)));

    LiveProgressView view =
        new LiveProgressView(
            new PrintStream(new ByteArrayOutputStream()),
            200,
            (c, r) -> new RunView(event, "warmup: 12/50"),
            () -> NOW);
    CampaignProgress p =
        new CampaignProgress(
            "camp",
            CampaignStatus.RUNNING,
            1,
            0,
            0,
            0,
            0,
            List.of(new RunningRun("e.c1", "gpu-a", List.of("GPU-1"), 1, NOW.toString())),
            List.of(),
            null,
            null,
            1,
            List.of());
    String line = view.block(p).get(1);
    assertTrue(line.endsWith("  | warmup: 12/50"), line);
  }
}
