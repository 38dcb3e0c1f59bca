package org.llenergymeasure.campaign.worker.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.activities.HostRunActivities;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.RunContainers;
import org.llenergymeasure.campaign.activities.RunContainersByAttach;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.container.ContainerReaper;
import org.llenergymeasure.campaign.activities.container.DockerEngine;
import org.llenergymeasure.campaign.activities.container.DockerRunContainers;
import org.llenergymeasure.campaign.activities.gpu.inventory.FileInventorySource;
import org.llenergymeasure.campaign.activities.gpu.inventory.InventorySource;
import org.llenergymeasure.campaign.activities.gpu.inventory.NvidiaSmiInventorySource;
import org.llenergymeasure.campaign.activities.gpu.lease.GpuLeaseStore;
import org.llenergymeasure.campaign.activities.ledger.ResultCollector;
import org.llenergymeasure.campaign.activities.process.ProcessOptions;
import org.llenergymeasure.campaign.activities.process.ProcessRunContainers;
import org.llenergymeasure.campaign.workflows.host.RunActivities;
import org.llenergymeasure.campaign.worker.BadInput;
import org.llenergymeasure.campaign.worker.EnvironmentProblem;
import org.llenergymeasure.campaign.worker.LlemHome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a worker needs on its GPU host: the Docker engine, the GPU inventory (real or a captured
 * folder), the GPU leases under LLEM_HOME, the results folder, and the run activities on top.
 * Runs go to containers or, for {@code attach: process}, to local processes ({@link
 * RunContainersByAttach}). Opening it reaps orphan containers of this host ({@link #reapOrphans}).
 */
public final class HostRuntime implements AutoCloseable {

  /** The worker variable that replaces the process-mode CUDA view (e.g. on simulated hosts). */
  public static final String CUDA_VIEW_VARIABLE = "LLEM_CUDA_VIEW";

  private static final Logger log = LoggerFactory.getLogger(HostRuntime.class);

  private final DockerEngine engine;
  private final RunActivities activities;
  private final boolean simulated;
  private final String hostId;
  private final GpuLeaseStore leases;
  private final boolean dockerReachable;

  private HostRuntime(
      DockerEngine engine,
      RunActivities activities,
      boolean simulated,
      String hostId,
      GpuLeaseStore leases,
      boolean dockerReachable) {
    this.engine = engine;
    this.activities = activities;
    this.simulated = simulated;
    this.hostId = hostId;
    this.leases = leases;
    this.dockerReachable = dockerReachable;
  }

  /**
   * How the host runtime starts.
   *
   * @param dockerRequired false when only process-mode runs will come (the {@code run} command of
   *     an {@code attach: process} campaign): an unreachable engine is then a note, not an error
   * @param process process-mode settings; the CUDA view command, when unset there, comes from the
   *     worker's {@code LLEM_CUDA_VIEW} variable (a command line split on spaces), else the
   *     default python3 probe
   */
  public record Options(boolean dockerRequired, ProcessOptions process) {

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
          "--inventory " + inventoryDir + " is not a folder; give a folder holding query-gpu.csv and"
              + " nvidia-smi-L.txt (see examples/inventories/)");
    }
    InventorySource inventory =
        inventoryDir != null ? new FileInventorySource(inventoryDir, hostId) : new NvidiaSmiInventorySource(hostId);
    // Read once now so a broken inventory or a host without GPUs is reported before any run.
    try {
      inventory.read();
    } catch (RuntimeException e) {
      if (inventoryDir != null) {
        throw new BadInput("--inventory " + inventoryDir + ": " + e.getMessage());
      }
      throw new EnvironmentProblem(
          e.getMessage() + " (on a machine without NVIDIA GPUs, use --inventory DIR with a captured"
              + " inventory, e.g. examples/inventories/sim-4gpu-idle)");
    }
    try {
      Files.createDirectories(results);
    } catch (IOException e) {
      throw new BadInput("--results " + results + " cannot be created: " + e.getMessage());
    }
    home.ensureExists();
    DockerEngine engine = DockerEngine.fromEnvironment();
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
      log.warn("no Docker engine on host {}; only attach: process runs can run here ({})", hostId, e.getMessage());
    }
    Map<String, String> workerEnv = System.getenv();
    HostSettings settings = new HostSettings(hostId, results, inventoryDir, workerEnv);
    GpuLeaseStore leases = new GpuLeaseStore(home.dir(), hostId);
    RunContainers containers =
        new RunContainersByAttach(
            new DockerRunContainers(engine),
            new ProcessRunContainers(workerEnv, withCudaViewFromEnv(options.process(), workerEnv)));
    RunActivities activities =
        new HostRunActivities(
            settings, inventory, leases, containers, new ResultCollector(containers));
    HostRuntime runtime = new HostRuntime(engine, activities, inventoryDir != null, hostId, leases, dockerReachable);
    // Containers left by a crash whose runs no longer hold GPUs: the runs are over.
    runtime.reapOrphans(null);
    return runtime;
  }

  private static ProcessOptions withCudaViewFromEnv(ProcessOptions process, Map<String, String> env) {
    String fromEnv = env.get(CUDA_VIEW_VARIABLE);
    if (process.cudaViewCommand() != null || fromEnv == null || fromEnv.isBlank()) {
      return process;
    }
    return process.withCudaView(List.of(fromEnv.strip().split("\\s+")));
  }

  /**
   * Removes this host's run containers that no live run owns (no GPU lease, older than {@link
   * ContainerReaper#DEFAULT_GRACE}); called at worker start and by {@code run} when its campaign
   * ends. Never fails the caller: reaping is housekeeping.
   *
   * @param campaign only this campaign's containers, or null for all of this host's
   * @return the removed containers' names
   */
  public List<String> reapOrphans(String campaign) {
    if (!dockerReachable) {
      return List.of();
    }
    try {
      List<String> removed =
          new ContainerReaper(engine, hostId, ContainerReaper.DEFAULT_GRACE, Clock.systemUTC())
              .reapUnleased(campaign, leases);
      if (removed.isEmpty()) {
        log.info("reaper on host {}: no orphan containers{}", hostId, campaign == null ? "" : " of campaign " + campaign);
      } else {
        log.warn(
            "reaper on host {}: removed {} orphan container(s) that no live run owns (no GPU lease): {}",
            hostId,
            removed.size(),
            String.join(", ", removed));
      }
      return removed;
    } catch (RuntimeException e) {
      log.warn("reaper on host {}: could not look for orphan containers: {}", hostId, e.getMessage());
      return List.of();
    }
  }

  public RunActivities activities() {
    return activities;
  }

  public boolean simulated() {
    return simulated;
  }

  @Override
  public void close() {
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
