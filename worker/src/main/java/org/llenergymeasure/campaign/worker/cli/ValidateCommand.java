package org.llenergymeasure.campaign.worker.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.llenergymeasure.campaign.config.CampaignFileException;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.ConfigError;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.worker.campaign.CampaignSize;
import org.llenergymeasure.campaign.worker.campaign.PoolCheck;
import org.llenergymeasure.campaign.worker.host.HostDirectory;
import org.llenergymeasure.campaign.worker.server.ServerSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Check a campaign file; print every error as FILE:LINE:COL: yaml.path: message.",
    footer = {
      "",
      "Examples:",
      "  llem-campaign validate examples/quickstart.yaml",
      "  llem-campaign validate --hosts campaign.yaml"
    })
final class ValidateCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE", description = "The campaign file (YAML).")
  Path file;

  @Option(
      names = "--hosts",
      description =
          "Also check the file against the hosts registered on the server: a run that no"
              + " registered host could ever fit is an error.")
  boolean hosts;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    LoadedCampaign loaded = CampaignLoader.load(file);
    CampaignSize size = CampaignSize.check(loaded.campaign(), file.toString());
    Console console = Console.system();
    loaded.warnings().forEach(w -> console.note("warning: " + w));
    if (hosts) {
      checkHosts(loaded, console);
    }
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

  /**
   * The runs placed from the registry against the hosts registered now: one that none could ever
   * fit is an error, reported as the file's errors are (exit 2).
   */
  private void checkHosts(LoadedCampaign loaded, Console console) throws CampaignFileException {
    if (!PoolCheck.usesRegistry(loaded.campaign())) {
      console.note(
          "note: no run is placed from the host registry (hosts: any, a selector, or a GPU"
              + " model with hosts:); nothing to check against it");
      return;
    }
    try (ServerSession session = CampaignCommands.connect(common)) {
      HostDirectory directory = HostDirectory.of(session.connection().client());
      var registered = directory.hosts();
      if (registered.isEmpty()) {
        console.note(
            "note: no host is registered on "
                + session.connection().address()
                + "; runs placed from the registry will wait for one");
        return;
      }
      var problems = PoolCheck.problems(loaded.campaign(), registered, directory.nowMs());
      if (!problems.isEmpty()) {
        throw new CampaignFileException(
            problems.stream()
                .map(p -> new ConfigError(file.toString(), 1, 1, "hosts", p))
                .toList());
      }
    }
  }

  private static String cyclesText(LoadedCampaign loaded, int cycles) {
    var adaptive = loaded.campaign().execution().adaptive();
    return adaptive == null ? String.valueOf(cycles) : adaptive.min() + ".." + cycles;
  }
}
