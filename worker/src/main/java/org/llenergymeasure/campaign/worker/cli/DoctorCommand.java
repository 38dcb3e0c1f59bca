package org.llenergymeasure.campaign.worker.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.worker.LlemHome;
import org.llenergymeasure.campaign.worker.doctor.Check;
import org.llenergymeasure.campaign.worker.doctor.Doctor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Check this host for campaigns: Java, the Docker engine and its version, the NVIDIA runtime,"
          + " the GPUs (nvidia-smi, or simulated with --inventory), the Temporal server (configured,"
          + " or the embedded one available), the images of a campaign FILE, free disk for results"
          + " and the state folder. Each check says ok, warn or fail and how to fix it; exits 3 if"
          + " any fails. Changes nothing."
    },
    footer = {
      "",
      "Examples:",
      "  llem-campaign doctor",
      "  llem-campaign doctor examples/quickstart.yaml --inventory examples/inventories/sim-4gpu-idle",
      "  llem-campaign doctor campaign.yaml --json --temporal 10.0.0.5:7233 --results /data/results"
    })
final class DoctorCommand implements Callable<Integer> {

  @Parameters(
      arity = "0..1",
      paramLabel = "FILE",
      description = "A campaign file whose images must be present here.")
  Path file;

  @Option(
      names = "--host-id",
      paramLabel = "ID",
      description = "This GPU host's id (default: the short host name).")
  String hostId;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    Console console = Console.system();
    Campaign campaign = file == null ? null : CampaignLoader.load(file).campaign();
    List<Check> checks =
        new Doctor(
                new Doctor.Subject(
                    HostIds.resolve(hostId),
                    common.resultsDir(),
                    common.inventoryDir(),
                    LlemHome.fromEnvironment(),
                    common.temporalSettings(),
                    campaign))
            .run();
    if (common.json()) {
      console.json(Map.of("checks", checks));
    } else {
      for (Check c : checks) {
        console.line(String.format("%-5s %-16s %s", c.status(), c.name(), c.detail()));
        if (c.fix() != null) {
          console.line(String.format("%-5s %-16s fix: %s", "", "", c.fix()));
        }
      }
    }
    boolean failed = checks.stream().anyMatch(Check::failed);
    if (failed && !common.json()) {
      console.note("doctor: " + checks.stream().filter(Check::failed).count() + " check(s) failed");
    }
    return failed ? ExitCodes.ENVIRONMENT : ExitCodes.OK;
  }
}
