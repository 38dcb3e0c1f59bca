package org.llenergymeasure.campaign.workflows.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.config.BusyPolicy;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.config.PlannedRun;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.RoutedDevice;

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
  void thePhaseTableIsOneRowAndAPipeCannotBreakIt() {
    Experiment experiment =
        new Experiment(
            "a",
            "fake:1",
            null,
            GpuRequest.none(),
            null,
            null,
            null,
            null,
            "/results",
            "result.json",
            null,
            "private",
            Duration.ofHours(1),
            Duration.ofMinutes(30),
            0,
            null,
            "bridge",
            BusyPolicy.WAIT,
            null,
            null,
            null);
    RunInput input =
        new RunInput(
            "demo",
            new PlannedRun("a.c2", "a", 2, 3),
            experiment,
            AttachMode.ENV,
            List.of("h1"),
            4);
    assertEquals(
        "| run | experiment | cycle | attempt | phase |\n|---|---|---|---|---|\n"
            + "| a.c2 | a | 2 | 3 | failed: a/b |",
        RunLabels.phaseTable(input, 3, "failed: a|b"));
  }
}
