package org.llenergymeasure.campaign.workflows.run;

import java.util.ArrayList;
import java.util.List;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.RoutedDevice;
import org.llenergymeasure.campaign.workflows.host.RunRef;

/** How a run's GPUs and phase read in activity summaries and the Web UI. */
final class RunLabels {

  private RunLabels() {}

  /** "2", "3:1" (MIG instance 1 of GPU 3): the host labels of the routed devices. */
  static List<String> gpuIds(GpuRouting routing) {
    List<String> ids = new ArrayList<>();
    for (RoutedDevice d : routing.devices()) {
      ids.add(d.migIndex() == null ? Integer.toString(d.index()) : d.index() + ":" + d.migIndex());
    }
    return ids;
  }

  /** "GPU 2,3" or "no GPU". */
  static String gpuLabel(GpuRouting routing) {
    return routing.devices().isEmpty() ? "no GPU" : "GPU " + String.join(",", gpuIds(routing));
  }

  /** The run page's live details: one row, rewritten on every phase change. */
  static String phaseTable(RunInput input, int attempt, String phase) {
    return "| run | experiment | cycle | attempt | phase |\n|---|---|---|---|---|\n| "
        + input.run().runId()
        + " | "
        + input.run().experiment()
        + " | "
        + input.run().cycle()
        + " | "
        + attempt
        + " | "
        + phase.replace('|', '/')
        + " |";
  }

  /** A host step's summary: "launch a.c1 (run 3/12, attempt 1) on h1 GPU 2,3". */
  static String stepSummary(String step, RunInput input, RunRef ref, GpuRouting routing) {
    return step
        + " "
        + ref.runId()
        + " (run "
        + (input.run().index() + 1)
        + "/"
        + input.totalRuns()
        + ", attempt "
        + ref.attempt()
        + ") on "
        + routing.hostId()
        + " "
        + gpuLabel(routing);
  }
}
