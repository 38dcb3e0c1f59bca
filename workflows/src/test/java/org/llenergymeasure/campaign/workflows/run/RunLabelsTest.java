package org.llenergymeasure.campaign.workflows.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.config.PlannedRun;
import org.llenergymeasure.campaign.workflows.TestExperiments;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.RoutedDevice;
import org.llenergymeasure.campaign.workflows.host.RunRef;

class RunLabelsTest {

  private static GpuRouting routed(RoutedDevice... devices) {
    return new GpuRouting(
        "h1",
        AttachMode.ENV,
        List.of(devices),
        Map.of(),
        null,
        devices.length,
        List.of(),
        List.of(),
        true);
  }

  private static Experiment experiment() {
    return TestExperiments.experiment("a", null, GpuRequest.none());
  }

  @Test
  void gpusReadAsHostIndicesAndMigInstancesAsGpuColonInstance() {
    GpuRouting routing =
        routed(
            new RoutedDevice("GPU-a", 2, "NVIDIA H200", null, null),
            new RoutedDevice("MIG-b", 3, "NVIDIA H200", "GPU-c", 1));
    assertEquals(List.of("2", "3:1"), RunLabels.gpuIds(routing));
    assertEquals("GPU 2,3:1", RunLabels.gpuLabel(routing));
    assertEquals("no GPU", RunLabels.gpuLabel(routed()));
  }

  @Test
  void aHostStepSaysWhichRunAttemptHostAndGpus() {
    RunInput input =
        new RunInput(
            "demo",
            new PlannedRun("a.c2", "a", 2, 2),
            experiment(),
            AttachMode.ENV,
            List.of("h1"),
            12,
            1);
    assertEquals(
        "launch a.c2 (run 3/12, attempt 2) on h1 GPU 0",
        RunLabels.stepSummary(
            "launch",
            input,
            new RunRef("demo", "a.c2", "a", 2, 2),
            routed(new RoutedDevice("GPU-a", 0, "NVIDIA H200", null, null))));
  }

  @Test
  void thePhaseTableIsOneRowAndAPipeCannotBreakIt() {
    RunInput input =
        new RunInput(
            "demo",
            new PlannedRun("a.c2", "a", 2, 3),
            experiment(),
            AttachMode.ENV,
            List.of("h1"),
            4,
            1);
    assertEquals(
        "| run | experiment | cycle | attempt | phase |\n|---|---|---|---|---|\n"
            + "| a.c2 | a | 2 | 3 | failed: a/b |",
        RunLabels.phaseTable(input, 3, "failed: a|b"));
  }

  @Test
  void aStepIsALastColumnWhoseMarkupIsEscaped() {
    RunInput input =
        new RunInput(
            "demo",
            new PlannedRun("a.c1", "a", 1, 0),
            experiment(),
            AttachMode.ENV,
            List.of("h1"),
            1,
            1);
    assertEquals(
        "| run | experiment | cycle | attempt | phase | step |\n|---|---|---|---|---|---|\n"
            + "| a.c1 | a | 1 | 1 | running on h1 GPU 0 | model: Loading model (gpt2) / x |",
        RunLabels.phaseTable(input, 1, "running on h1 GPU 0", "model: Loading model (gpt2) | x")
            .replace("\\(", "(")
            .replace("\\)", ")"));
    // A run's output cannot add a link, an image, a tag or emphasis to the page.
    assertEquals(
        "\\!\\[x\\]\\(http://e/y\\) \\<img src=x\\> \\*b\\* \\_u\\_ \\&lt;",
        RunLabels.markdownText("![x](http://e/y) <img src=x> *b* _u_ &lt;"));
    assertEquals(RunLabels.STEP_LIMIT + 3, RunLabels.markdownText("s".repeat(500)).length());
    assertEquals(
        RunLabels.phaseTable(input, 1, "routing"), RunLabels.phaseTable(input, 1, "routing", " "));
  }
}
