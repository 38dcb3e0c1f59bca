package org.llenergymeasure.campaign.worker.host;

import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.llenergymeasure.campaign.activities.GpuCare;
import org.llenergymeasure.campaign.activities.HostDrain;
import org.llenergymeasure.campaign.activities.HostGpuCareActivities;
import org.llenergymeasure.campaign.activities.HostRunActivities;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.RunBackend;
import org.llenergymeasure.campaign.activities.RunBackendByAttach;
import org.llenergymeasure.campaign.activities.gpu.inventory.FileInventorySource;
import org.llenergymeasure.campaign.activities.gpu.lease.GpuLeaseStore;
import org.llenergymeasure.campaign.activities.gpu.quarantine.QuarantineStore;
import org.llenergymeasure.campaign.activities.gpu.telemetry.NoGpuTelemetry;
import org.llenergymeasure.campaign.activities.ledger.ResultCollector;
import org.llenergymeasure.campaign.activities.measurement.RunSampler;

/**
 * BENCHMARK ONLY (bench/pool): one simulated GPU host of a pool as {@link HostRuntime#open} and
 * {@link HostRuntime#reportTo} put it together (inventory folder, lease and quarantine files,
 * routing that asks the registry whether the host drains, a registry reporter, a {@link
 * WorkerHost}), except that its runs go to the given backend instead of Docker.
 */
public final class InstantPoolHost implements AutoCloseable {

  private final WorkerHost worker;
  private final HostReporter reporter;

  private InstantPoolHost(WorkerHost worker, HostReporter reporter) {
    this.worker = worker;
    this.reporter = reporter;
  }

  /**
   * Starts the host's worker and its reporter (which registers the host at once, in the
   * background).
   */
  public static InstantPoolHost start(
      WorkflowClient client,
      String hostId,
      Path inventory,
      Path home,
      Path results,
      RunBackend backend,
      int maxConcurrentRuns) {
    HostSettings settings = new HostSettings(hostId, results, inventory, Map.of(), home);
    FileInventorySource gpus = new FileInventorySource(inventory, hostId);
    GpuLeaseStore leases = GpuLeaseStore.forHost(home, hostId);
    QuarantineStore quarantine = QuarantineStore.forHost(home, hostId);
    GpuCare care = GpuCare.withoutHygiene(settings, gpus);
    RunBackendByAttach backends = RunBackendByAttach.only(backend);
    NoGpuTelemetry telemetry = new NoGpuTelemetry("simulated host: no NVML");
    AtomicReference<HostReporter> reporter = new AtomicReference<>();
    HostDrain drain =
        () -> {
          HostReporter r = reporter.get();
          return r != null && r.draining();
        };
    HostActivities activities =
        new HostActivities(
            new HostRunActivities(
                settings,
                gpus,
                leases,
                backends,
                new ResultCollector(backends, telemetry),
                care,
                new RunSampler(telemetry, HostRuntime.GPU_SAMPLE_INTERVAL, Clock.systemUTC()),
                drain),
            new HostGpuCareActivities(settings, care));
    WorkerHost worker = new WorkerHost(client, hostId, activities, maxConcurrentRuns).start();
    HostReporter r =
        new HostReporter(
            hostId,
            new HostRegistryClient(client),
            RegistryCache.of(client),
            new HostSnapshot(hostId, gpus, leases, quarantine, true),
            Clock.systemUTC());
    reporter.set(r);
    return new InstantPoolHost(worker, r.start());
  }

  @Override
  public void close() {
    reporter.close();
    worker.close();
  }
}
