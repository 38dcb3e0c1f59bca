package org.llenergymeasure.campaign.worker.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.worker.campaign.CampaignSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Check a campaign file; print every error as FILE:LINE:COL: yaml.path: message.",
    footer = {"", "Example: llem-campaign validate examples/quickstart.yaml"})
final class ValidateCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE", description = "The campaign file (YAML).")
  Path file;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    LoadedCampaign loaded = CampaignLoader.load(file);
    CampaignSize size = CampaignSize.check(loaded.campaign(), file.toString());
    Console console = Console.system();
    loaded.warnings().forEach(w -> console.note("warning: " + w));
    int experiments = loaded.campaign().experiments().size();
    int cycles = loaded.campaign().execution().cycles();
    int runs = loaded.plan().runs().size();
    if (common.json()) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("campaign", loaded.campaign().name());
      out.put("hash", loaded.plan().hash());
      out.put("experiments", experiments);
      out.put("cycles", cycles);
      out.put("runs", runs);
      if (loaded.campaign().execution().adaptive() != null) {
        // Adaptive cycles: `cycles` is max, `runs` the runs at start (cycles 1..min).
        out.put("cyclesMin", loaded.campaign().execution().adaptive().min());
        out.put("runsMax", (long) experiments * cycles);
      }
      out.put("warnings", loaded.warnings());
      out.put("inputBytes", size.packedBytes());
      console.json(out);
    } else {
      console.line(
          file
              + ": ok: campaign "
              + loaded.campaign().name()
              + ", "
              + experiments
              + " experiments × "
              + cyclesText(loaded, cycles)
              + " cycles = "
              + runs
              + (loaded.campaign().execution().adaptive() == null
                  ? ""
                  : " at start, up to " + (long) experiments * cycles)
              + " runs");
    }
    return ExitCodes.OK;
  }

  private static String cyclesText(LoadedCampaign loaded, int cycles) {
    var adaptive = loaded.campaign().execution().adaptive();
    return adaptive == null ? String.valueOf(cycles) : adaptive.min() + ".." + cycles;
  }
}
