package org.llenergymeasure.campaign.worker.cli;

import org.llenergymeasure.campaign.worker.host.HostRegistryClient;
import org.llenergymeasure.campaign.workflows.registry.HostRecord;
import org.llenergymeasure.campaign.workflows.registry.HostState;
import picocli.CommandLine.Command;

@Command(
    name = "drain",
    mixinStandardHelpOptions = true,
    description = {
      "Drain a GPU host: its running runs finish, nothing new is placed or started there (a run"
          + " that may use another host goes there, a run pinned to it waits). `hosts` shows it"
          + " draining, then drained once nothing runs there: then its worker can be stopped."
          + " `undrain` lifts it."
    },
    footer = {
      "",
      "Examples:",
      "  llem-campaign drain gpu-node-2",
      "  llem-campaign drain gpu-node-2 --json --temporal 10.0.0.5:7233"
    })
final class DrainCommand extends HostMarkCommand {

  @Override
  HostRecord apply(HostRegistryClient registry, String host) {
    return registry.drain(host);
  }

  @Override
  String done(HostRecord record, long nowMs) {
    String id = record.hostId();
    return record.state(nowMs) == HostState.DRAINED
        ? "host "
            + id
            + " is drained: nothing runs there and nothing new is placed there; its worker can be"
            + " stopped (`llem-campaign undrain "
            + id
            + "` lifts the drain)"
        : "host "
            + id
            + " is draining: its running runs finish ("
            + record.leasedUuids().size()
            + " GPU(s) leased now), nothing new is placed there; `llem-campaign hosts` shows it"
            + " drained when they are done (`llem-campaign undrain "
            + id
            + "` lifts the drain)";
  }
}
