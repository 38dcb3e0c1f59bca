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
    return phaseTable(input, attempt, phase, null);
  }

  /**
   * The live details with the run's progress step (its {@code runStep} signal) as a last column;
   * without a step, the table of {@link #phaseTable(RunInput, int, String)}.
   */
  static String phaseTable(RunInput input, int attempt, String phase, String step) {
    boolean withStep = step != null && !step.isBlank();
    return "| run | experiment | cycle | attempt | phase |"
        + (withStep ? " step |" : "")
        + "\n|---|---|---|---|---|"
        + (withStep ? "---|" : "")
        + "\n| "
        + input.run().runId()
        + " | "
        + input.run().experiment()
        + " | "
        + input.run().cycle()
        + " | "
        + attempt
        + " | "
        + phase.replace('|', '/')
        + " |"
        + (withStep ? " " + markdownText(step) + " |" : "");
  }

  /** The most characters of a step shown (the host sends at most 120). */
  static final int STEP_LIMIT = 160;

  /**
   * Text from a run (its progress step) as plain text in a Markdown table cell: on one line, cut
   * short, with the characters Markdown or HTML would read as markup escaped, so a run's output can
   * never add a link, an image or a tag to the page.
   */
  static String markdownText(String text) {
    String flat = text.strip();
    if (flat.length() > STEP_LIMIT) {
      flat = flat.substring(0, STEP_LIMIT) + "...";
    }
    StringBuilder out = new StringBuilder(flat.length() + 8);
    for (int i = 0; i < flat.length(); i++) {
      char c = flat.charAt(i);
      if (c == '|') {
        out.append('/');
      } else if (Character.isISOControl(c)) {
        out.append(' ');
      } else {
        if ("\\`*_{}[]()<>#+!~&".indexOf(c) >= 0) {
          out.append('\\');
        }
        out.append(c);
      }
    }
    return out.toString();
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
