package org.llenergymeasure.campaign.worker.host;

import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.llenergymeasure.campaign.activities.GpuCare;
import org.llenergymeasure.campaign.activities.HostDrain;
import org.llenergymeasure.campaign.activities.HostGpuCareActivities;
import org.llenergymeasure.campaign.activities.HostRunActivities;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.RunBackendByAttach;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.container.ContainerReaper;
import org.llenergymeasure.campaign.activities.container.DockerEngine;
import org.llenergymeasure.campaign.activities.container.DockerRunBackend;
import org.llenergymeasure.campaign.activities.gpu.cooldown.GpuSensor;
import org.llenergymeasure.campaign.activities.gpu.cooldown.NvidiaSmiSensor;
import org.llenergymeasure.campaign.activities.gpu.cooldown.TelemetrySensor;
import org.llenergymeasure.campaign.activities.gpu.inventory.FileInventorySource;
import org.llenergymeasure.campaign.activities.gpu.inventory.InventorySource;
import org.llenergymeasure.campaign.activities.gpu.inventory.NvidiaSmiInventorySource;
import org.llenergymeasure.campaign.activities.gpu.lease.GpuLeaseStore;
import org.llenergymeasure.campaign.activities.gpu.lease.LeaseReconciler;
import org.llenergymeasure.campaign.activities.gpu.quarantine.QuarantineReview;
import org.llenergymeasure.campaign.activities.gpu.quarantine.QuarantineStore;
import org.llenergymeasure.campaign.activities.gpu.telemetry.GpuTelemetry;
import org.llenergymeasure.campaign.activities.gpu.telemetry.NoGpuTelemetry;
import org.llenergymeasure.campaign.activities.ledger.ResultCollector;
import org.llenergymeasure.campaign.activities.measurement.RunSampler;
import org.llenergymeasure.campaign.activities.process.ProcessOptions;
import org.llenergymeasure.campaign.activities.process.ProcessRunBackend;
import org.llenergymeasure.campaign.worker.BadInput;
import org.llenergymeasure.campaign.worker.EnvironmentProblem;
import org.llenergymeasure.campaign.worker.LlemHome;
import org.llenergymeasure.campaign.workflows.host.QuarantinedGpu;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a worker needs on its GPU host: the Docker engine, the GPU inventory (real or a captured
 * folder), the GPU leases under LLEM_HOME, the results folder, and the run activities on top. Runs
 * go to containers or, for {@code attach: process}, to local processes ({@link
 * RunBackendByAttach}). Once connected, {@link #housekeeping} clears what a crashed worker left.
 */
public final class HostRuntime implements AutoCloseable {

  /** The worker variable that replaces the process-mode CUDA view (e.g. on simulated hosts). */
  public static final String CUDA_VIEW_VARIABLE = "LLEM_CUDA_VIEW";

  private static final Logger log = LoggerFactory.getLogger(HostRuntime.class);

  private final DockerEngine engine;
  private final HostActivities activities;
  private final boolean simulated;
  private final String hostId;
  private final GpuLeaseStore leases;
  private final boolean dockerReachable;
  private final InventorySource inventory;
  private final QuarantineStore quarantine;
  private final GpuCare care;
  private final GpuTelemetry telemetry;
  private final AtomicReference<HostReporter> reporter;

  /** How often a run's GPUs are read while it runs (energy comes from NVML's counter anyway). */
  static final Duration GPU_SAMPLE_INTERVAL = Duration.ofSeconds(1);

  private HostRuntime(
      DockerEngine engine,
      HostActivities activities,
      boolean simulated,
      String hostId,
      GpuLeaseStore leases,
      boolean dockerReachable,
      InventorySource inventory,
      QuarantineStore quarantine,
      GpuCare care,
      GpuTelemetry telemetry,
      AtomicReference<HostReporter> reporter) {
    this.engine = engine;
    this.activities = activities;
    this.simulated = simulated;
    this.hostId = hostId;
    this.leases = leases;
    this.dockerReachable = dockerReachable;
    this.inventory = inventory;
    this.quarantine = quarantine;
    this.care = care;
    this.telemetry = telemetry;
    this.reporter = reporter;
  }

  /**
   * How the host runtime starts.
   *
   * @param dockerRequired false when only process-mode runs will come (the {@code run} command of
   *     an {@code attach: process} campaign): an unreachable engine is then a note, not an error
   * @param process process-mode settings; the CUDA view command, when unset there, comes from the
   *     worker's {@code LLEM_CUDA_VIEW} variable (a command line split on spaces), else the default
   *     python3 probe
   * @param dockerHost the Docker engine's address; null: {@code DOCKER_HOST}, else the local socket
   * @param nvml false: no NVML readings even on a real GPU host (a simulated host has none anyway)
   */
  public record Options(
      boolean dockerRequired, ProcessOptions process, String dockerHost, boolean nvml) {

    public Options(boolean dockerRequired, ProcessOptions process) {
      this(dockerRequired, process, null, true);
    }

    public static Options defaults() {
      return new Options(true, ProcessOptions.defaults());
    }
  }

  public static HostRuntime open(String hostId, Path results, Path inventoryDir, LlemHome home) {
    return open(hostId, results, inventoryDir, home, Options.defaults());
  }

  public static HostRuntime open(
      String hostId, Path results, Path inventoryDir, LlemHome home, Options options) {
    if (inventoryDir != null && !Files.isDirectory(inventoryDir)) {
      throw new BadInput(
          "--inventory "
              + inventoryDir
              + " is not a folder; give a folder holding query-gpu.csv and"
              + " nvidia-smi-L.txt (see examples/inventories/)");
    }
    InventorySource inventory =
        inventoryDir != null
            ? new FileInventorySource(inventoryDir, hostId)
            : NvidiaSmiInventorySource.onPath(hostId);
    // Read once now so a broken inventory or a host without GPUs is reported before any run.
    try {
      inventory.read();
    } catch (RuntimeException e) {
      if (inventoryDir != null) {
        throw new BadInput("--inventory " + inventoryDir + ": " + e.getMessage());
      }
      throw new EnvironmentProblem(
          e.getMessage()
              + " (on a machine without NVIDIA GPUs, use --inventory DIR with a captured"
              + " inventory, e.g. examples/inventories/sim-4gpu-idle)");
    }
    try {
      Files.createDirectories(results);
    } catch (IOException e) {
      throw new BadInput("--results " + results + " cannot be created: " + e.getMessage());
    }
    home.ensureExists();
    DockerEngine engine =
        options.dockerHost() != null
            ? DockerEngine.connect(options.dockerHost())
            : DockerEngine.fromEnvironment();
    boolean dockerReachable = true;
    try {
      engine.ping();
    } catch (RunFailureException e) {
      if (options.dockerRequired()) {
        closeQuietly(engine);
        throw new EnvironmentProblem("no Docker engine: " + e.getMessage());
      }
      // Process-mode runs need no engine; a container run would fail with EngineUnavailable.
      dockerReachable = false;
      log.warn(
          "no Docker engine on host {}; only attach: process runs can run here ({})",
          hostId,
          e.getMessage());
    }
    Map<String, String> workerEnv = System.getenv();
    HostSettings settings = new HostSettings(hostId, results, inventoryDir, workerEnv, home.dir());
    GpuLeaseStore leases = GpuLeaseStore.forHost(home.dir(), hostId);
    QuarantineStore quarantine = QuarantineStore.forHost(home.dir(), hostId);
    // One NVML for the run's energy sampling, cooldown and idle baselines. A simulated host's GPUs
    // are files: reading the machine's real GPUs would measure the wrong ones, so it has none and
    // reads its inventory folder's temperature.csv for cooldowns instead (GpuCare.sensorFor);
    // without NVML a real host's cooldown falls back to nvidia-smi.
    GpuTelemetry telemetry =
        inventoryDir != null
            ? new NoGpuTelemetry("simulated host (--inventory): no NVML")
            : options.nvml() ? GpuTelemetry.open() : new NoGpuTelemetry("NVML switched off");
    GpuSensor realSensor =
        telemetry.available() ? new TelemetrySensor(telemetry) : new NvidiaSmiSensor();
    GpuCare care = GpuCare.forHost(settings, inventory, realSensor, quarantine);
    RunBackendByAttach backends =
        new RunBackendByAttach(
            new DockerRunBackend(engine),
            new ProcessRunBackend(workerEnv, withCudaViewFromEnv(options.process(), workerEnv)));
    telemetry
        .unavailableReason()
        .ifPresent(why -> log.info("host {}: no host-side GPU measurement ({})", hostId, why));
    // Routing refuses new runs while the registry says this host drains (once reporting).
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
                inventory,
                leases,
                backends,
                new ResultCollector(backends, telemetry),
                care,
                new RunSampler(telemetry, GPU_SAMPLE_INTERVAL, Clock.systemUTC()),
                drain),
            new HostGpuCareActivities(settings, care));
    return new HostRuntime(
        engine,
        activities,
        inventoryDir != null,
        hostId,
        leases,
        dockerReachable,
        inventory,
        quarantine,
        care,
        telemetry,
        reporter);
  }

  /**
   * What a crashed worker left behind on this host, judged against the runs' workflows once the
   * worker is connected: GPU leases and containers of runs that are no longer in progress are
   * dropped and removed. Runs in progress keep both (their next step re-attaches). Never fails the
   * caller: it is housekeeping, and when the server cannot tell, nothing is touched.
   */
  public void housekeeping(WorkflowClient client) {
    WorkflowLiveRuns live = new WorkflowLiveRuns(client);
    try (LeaseReconciler leaseReconciler =
        new LeaseReconciler(leases, live, Clock.systemUTC(), Duration.ZERO)) {
      leaseReconciler.reconcileAtStart();
    } catch (RuntimeException e) {
      log.warn(
          "host {}: could not check its GPU leases against the runs' workflows: {}",
          hostId,
          e.getMessage());
    }
    reapOrphans(null, live);
    reviewQuarantine();
  }

  /**
   * Quarantined GPUs whose process has gone since are released; the others are named, so an
   * operator reading the worker's start-up log sees them.
   */
  private void reviewQuarantine() {
    try {
      for (QuarantinedGpu q :
          QuarantineReview.liftClean(quarantine, inventory.read(), care.hygiene().memory())) {
        log.warn(
            "host {}: GPU {} is clean again (was: {}); quarantine lifted",
            hostId,
            q.uuid(),
            q.reason());
      }
      for (QuarantinedGpu q : quarantine.list()) {
        log.warn(
            "host {}: GPU {} stays quarantined since {} ({}; left by {}); no run gets it until it is clean or `{}`",
            hostId,
            q.uuid(),
            q.since(),
            q.reason(),
            q.leftBy(),
            q.releaseCommand());
      }
    } catch (RuntimeException e) {
      log.warn("host {}: could not review its quarantined GPUs: {}", hostId, e.getMessage());
    }
  }

  /**
   * Removes this host's run containers (of {@code campaign}, or all when null) whose runs are no
   * longer in progress; {@code run} calls it when its campaign ends.
   *
   * @return the removed containers' names
   */
  public List<String> reapOrphans(String campaign, WorkflowClient client) {
    return reapOrphans(campaign, new WorkflowLiveRuns(client));
  }

  private static ProcessOptions withCudaViewFromEnv(
      ProcessOptions process, Map<String, String> env) {
    String fromEnv = env.get(CUDA_VIEW_VARIABLE);
    if (process.cudaViewCommand() != null || fromEnv == null || fromEnv.isBlank()) {
      return process;
    }
    return process.withCudaView(List.of(fromEnv.strip().split("\\s+")));
  }

  private List<String> reapOrphans(String campaign, WorkflowLiveRuns live) {
    if (!dockerReachable) {
      return List.of();
    }
    try {
      List<String> removed =
          new ContainerReaper(engine, hostId)
              .reap(campaign, labels -> live.isLive(labels.campaign(), labels.runId()));
      if (!removed.isEmpty()) {
        log.warn(
            "host {}: removed {} container(s) whose runs are no longer in progress: {}",
            hostId,
            removed.size(),
            String.join(", ", removed));
      }
      return removed;
    } catch (RuntimeException e) {
      log.warn("host {}: could not look for leftover containers: {}", hostId, e.getMessage());
      return List.of();
    }
  }

  /**
   * Registers this host with the host registry on {@code client}'s server and keeps its record
   * current (inventory, leases, quarantine) until the returned reporter is closed; from then on
   * routing refuses new runs while the host drains. A registry it cannot reach is logged only.
   */
  public HostReporter reportTo(WorkflowClient client) {
    HostReporter r =
        new HostReporter(
            hostId,
            new HostRegistryClient(client),
            RegistryCache.of(client),
            new HostSnapshot(hostId, inventory, leases, quarantine, simulated),
            Clock.systemUTC());
    reporter.set(r);
    return r.start();
  }

  public String hostId() {
    return hostId;
  }

  public HostActivities activities() {
    return activities;
  }

  public boolean simulated() {
    return simulated;
  }

  @Override
  public void close() {
    try {
      telemetry.close();
    } catch (RuntimeException e) {
      log.warn("host {}: closing GPU telemetry: {}", hostId, e.toString());
    }
    closeQuietly(engine);
  }

  private static void closeQuietly(DockerEngine engine) {
    try {
      engine.close();
    } catch (IOException ignored) {
      // closing the engine's HTTP client at exit
    }
  }
}
