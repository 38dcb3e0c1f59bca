package org.llenergymeasure.campaign.worker.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.llenergymeasure.campaign.config.AdaptiveCycles;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.config.PlannedRun;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.worker.campaign.CampaignSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = "Print the runs of a campaign file in execution order, and the plan's hash.",
    footer = {"", "Example: llem-campaign plan examples/quickstart.yaml --json"})
final class PlanCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE", description = "The campaign file (YAML).")
  Path file;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    LoadedCampaign loaded = CampaignLoader.load(file);
    CampaignSize.check(loaded.campaign(), file.toString());
    Console console = Console.system();
    loaded.warnings().forEach(w -> console.note("warning: " + w));
    List<Map<String, Object>> runs = new ArrayList<>();
    for (PlannedRun run : loaded.plan().runs()) {
      Experiment e = loaded.campaign().experiment(run.experiment());
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("runId", run.runId());
      r.put("experiment", run.experiment());
      r.put("cycle", run.cycle());
      r.put("index", run.index());
      r.put("image", e.image());
      r.put("gpus", e.gpus().toString());
      r.put("host", e.host());
      runs.add(r);
    }
    AdaptiveCycles adaptive = loaded.campaign().execution().adaptive();
    long runsMax =
        (long) loaded.campaign().experiments().size() * loaded.campaign().execution().cycles();
    if (common.json()) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("campaign", loaded.campaign().name());
      out.put("hash", loaded.plan().hash());
      if (adaptive != null) {
        out.put("cycles", cyclesJson(adaptive));
        out.put("runsMax", runsMax);
      }
      out.put("runs", runs);
      console.json(out);
      return ExitCodes.OK;
    }
    console.line("campaign " + loaded.campaign().name() + "  plan " + loaded.plan().hash());
    if (adaptive != null) {
      console.line("cycles: " + adaptive.describe());
      console.line(
          "runs: "
              + runs.size()
              + " planned at start (cycles 1.."
              + adaptive.min()
              + "), up to "
              + runsMax
              + "; later cycles only for experiments not yet within the target");
    }
    console.line(String.format("%5s  %-40s %5s  %-30s %s", "#", "run", "cycle", "image", "gpus"));
    for (Map<String, Object> r : runs) {
      console.line(
          String.format(
              "%5d  %-40s %5d  %-30s %s",
              (Integer) r.get("index"),
              r.get("runId"),
              (Integer) r.get("cycle"),
              r.get("image"),
              r.get("gpus")));
    }
    return ExitCodes.OK;
  }

  /** {@code plan --json}'s {@code cycles} of adaptive cycles (cli-contract.md). */
  static Map<String, Object> cyclesJson(AdaptiveCycles a) {
    Map<String, Object> until = new LinkedHashMap<>();
    until.put("metric", a.metric());
    until.put("relativeHalfWidth", a.relativeHalfWidth());
    until.put("confidence", a.confidence());
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("min", a.min());
    c.put("max", a.max());
    c.put("until", until);
    return c;
  }
}
