package org.llenergymeasure.campaign.worker.host;

import java.time.Duration;
import java.util.List;
import org.llenergymeasure.campaign.activities.gpu.inventory.CommandRunner;
import org.llenergymeasure.campaign.activities.gpu.inventory.GpuDevice;
import org.llenergymeasure.campaign.activities.gpu.inventory.InventorySource;
import org.llenergymeasure.campaign.activities.gpu.inventory.MigDevice;
import org.llenergymeasure.campaign.activities.gpu.lease.GpuLease;
import org.llenergymeasure.campaign.activities.gpu.lease.GpuLeaseStore;
import org.llenergymeasure.campaign.activities.gpu.quarantine.QuarantineStore;
import org.llenergymeasure.campaign.worker.WorkerVersion;
import org.llenergymeasure.campaign.workflows.registry.HostReport;
import org.llenergymeasure.campaign.workflows.registry.RegisteredGpu;

/**
 * What a worker reports of its host: the inventory's GPUs (read again at every keep-alive), the
 * driver, and the GPUs leased or quarantined now (read from the host's lease and quarantine files,
 * which every worker process of the host shares).
 */
final class HostSnapshot {

  /** The GPUs runs hold and the GPUs taken out of service, sorted: a change triggers a report. */
  record Marks(List<String> leased, List<String> quarantined) {}

  private final String hostId;
  private final InventorySource inventory;
  private final GpuLeaseStore leases;
  private final QuarantineStore quarantine;
  private final boolean simulated;
  private String driver;
  private boolean driverRead;

  HostSnapshot(
      String hostId,
      InventorySource inventory,
      GpuLeaseStore leases,
      QuarantineStore quarantine,
      boolean simulated) {
    this.hostId = hostId;
    this.inventory = inventory;
    this.leases = leases;
    this.quarantine = quarantine;
    this.simulated = simulated;
  }

  Marks marks() {
    return new Marks(
        leases.holders().stream().map(GpuLease::uuid).distinct().sorted().toList(),
        quarantine.uuids().stream().sorted().toList());
  }

  List<RegisteredGpu> gpus() {
    return inventory.read().gpus().stream().map(HostSnapshot::registered).toList();
  }

  HostReport report(List<RegisteredGpu> gpus, Marks marks) {
    return new HostReport(
        hostId, gpus, driver(), WorkerVersion.VERSION, marks.leased(), marks.quarantined());
  }

  static RegisteredGpu registered(GpuDevice g) {
    return new RegisteredGpu(
        g.uuid(),
        g.index(),
        g.name(),
        g.memoryMiB(),
        g.migDevices().stream().map(MigDevice::uuid).toList());
  }

  /** nvidia-smi's driver version, read once; null on a simulated host or when it cannot say. */
  private String driver() {
    if (!driverRead && !simulated) {
      driverRead = true;
      try {
        CommandRunner.Result r =
            CommandRunner.run(
                List.of("nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"),
                Duration.ofSeconds(15));
        String first = r.stdout().strip().lines().findFirst().orElse("").strip();
        driver = r.exitCode() == 0 && !first.isEmpty() ? first : null;
      } catch (java.io.IOException | CommandRunner.TimedOut e) {
        driver = null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        driver = null;
      }
    }
    return driver;
  }
}
