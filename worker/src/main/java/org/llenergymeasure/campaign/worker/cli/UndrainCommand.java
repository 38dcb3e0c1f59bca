package org.llenergymeasure.campaign.worker.cli;

import org.llenergymeasure.campaign.worker.host.HostRegistryClient;
import org.llenergymeasure.campaign.workflows.registry.HostRecord;
import picocli.CommandLine.Command;

@Command(
    name = "undrain",
    mixinStandardHelpOptions = true,
    description = {"Lift a host's drain: new runs may be placed and started there again."},
    footer = {"", "Examples:", "  llem-campaign undrain gpu-node-2"})
final class UndrainCommand extends HostMarkCommand {

  @Override
  HostRecord apply(HostRegistryClient registry, String host) {
    return registry.undrain(host);
  }

  @Override
  String done(HostRecord record, long nowMs) {
    return "host "
        + record.hostId()
        + " is "
        + record.state(nowMs).word()
        + ": new runs may be placed there again";
  }
}
