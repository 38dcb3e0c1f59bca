package org.llenergymeasure.campaign.worker.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.llenergymeasure.campaign.activities.ledger.RunLedger;
import org.llenergymeasure.campaign.worker.BadInput;
import org.llenergymeasure.campaign.worker.temporal.TemporalSettings;
import picocli.CommandLine.Option;

/** The flags every command accepts (cli-contract.md "Common flags"). */
public final class CommonOptions {

  @Option(
      names = "--temporal",
      paramLabel = "HOST:PORT",
      description =
          "Temporal frontend (else TEMPORAL_ADDRESS, else the profile's address, else the embedded"
              + " server on 127.0.0.1:7233).")
  String temporal;

  @Option(
      names = "--namespace",
      paramLabel = "NS",
      description =
          "Temporal namespace (else TEMPORAL_NAMESPACE, else the profile's, else default).")
  String namespace;

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      description =
          "Temporal client profile of temporal.toml (TEMPORAL_CONFIG_FILE, else"
              + " ~/.config/temporalio/temporal.toml), shared with the temporal CLI (else"
              + " TEMPORAL_PROFILE, else default).")
  String profile;

  @Option(
      names = "--results",
      paramLabel = "DIR",
      description = "Where run folders and ledgers go (default: ./results).")
  Path results;

  @Option(
      names = "--inventory",
      paramLabel = "DIR",
      description =
          "Simulated GPU host: a folder with query-gpu.csv, nvidia-smi-L.txt and optionally"
              + " compute-apps.csv (see examples/inventories/). Nothing is measured.")
  Path inventory;

  @Option(names = "--json", description = "Print machine-readable JSON on stdout.")
  boolean json;

  public TemporalSettings temporalSettings() {
    return TemporalSettings.resolve(temporal, namespace, profile, System.getenv());
  }

  public Path resultsDir() {
    return (results == null ? Path.of("results") : results).toAbsolutePath().normalize();
  }

  /**
   * The campaign's ledger under {@link #resultsDir}; bad input when the campaign has none there.
   */
  public RunLedger existingLedger(String campaign) {
    RunLedger ledger = RunLedger.of(resultsDir(), campaign);
    if (!Files.exists(ledger.file())) {
      throw new BadInput(
          "no results for campaign '"
              + campaign
              + "' under "
              + resultsDir()
              + " (no "
              + ledger.file()
              + "); pass the folder the campaign ran with via --results DIR");
    }
    return ledger;
  }

  public Path inventoryDir() {
    return inventory == null ? null : inventory.toAbsolutePath().normalize();
  }

  public boolean json() {
    return json;
  }
}
