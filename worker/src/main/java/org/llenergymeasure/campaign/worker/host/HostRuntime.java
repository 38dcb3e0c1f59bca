package org.llenergymeasure.campaign.worker.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.llenergymeasure.campaign.activities.HostRunActivities;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.container.DockerEngine;
import org.llenergymeasure.campaign.activities.container.DockerRunContainers;
import org.llenergymeasure.campaign.activities.gpu.inventory.FileInventorySource;
import org.llenergymeasure.campaign.activities.gpu.inventory.InventorySource;
import org.llenergymeasure.campaign.activities.gpu.inventory.NvidiaSmiInventorySource;
import org.llenergymeasure.campaign.activities.gpu.lease.DockerLiveRuns;
import org.llenergymeasure.campaign.activities.gpu.lease.GpuLeaseStore;
import org.llenergymeasure.campaign.activities.gpu.lease.LeaseReconciler;
import org.llenergymeasure.campaign.activities.gpu.lease.LeaseStoreException;
import org.llenergymeasure.campaign.activities.ledger.ResultCollector;
import org.llenergymeasure.campaign.workflows.host.RunActivities;
import org.llenergymeasure.campaign.worker.BadInput;
import org.llenergymeasure.campaign.worker.EnvironmentProblem;
import org.llenergymeasure.campaign.worker.LlemHome;

/**
 * What a worker needs on its GPU host: the Docker engine, the GPU inventory (real or a captured
 * folder), the GPU leases under LLEM_HOME, the results folder, and the run activities on top.
 */
public final class HostRuntime implements AutoCloseable {

  private final DockerEngine engine;
  private final RunActivities activities;
  private final boolean simulated;
  private final LeaseReconciler leaseReconciler;

  private HostRuntime(
      DockerEngine engine,
      RunActivities activities,
      boolean simulated,
      LeaseReconciler leaseReconciler) {
    this.engine = engine;
    this.activities = activities;
    this.simulated = simulated;
    this.leaseReconciler = leaseReconciler;
  }

  public static HostRuntime open(String hostId, Path results, Path inventoryDir, LlemHome home) {
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
    try {
      engine.ping();
    } catch (RunFailureException e) {
      closeQuietly(engine);
      throw new EnvironmentProblem("no Docker engine: " + e.getMessage());
    }
    HostSettings settings = new HostSettings(hostId, results, inventoryDir, System.getenv());
    GpuLeaseStore leases = new GpuLeaseStore(home.dir(), hostId);
    // Leases of runs a crashed worker left behind would block their GPUs forever.
    LeaseReconciler leaseReconciler =
        new LeaseReconciler(
            leases,
            new DockerLiveRuns(engine, hostId),
            Clock.systemUTC(),
            LeaseReconciler.DEFAULT_GRACE);
    try {
      leaseReconciler.reconcileAtStart();
    } catch (LeaseStoreException e) {
      closeQuietly(engine);
      throw new EnvironmentProblem(e.getMessage(), e);
    }
    DockerRunContainers containers = new DockerRunContainers(engine);
    RunActivities activities =
        new HostRunActivities(
            settings, inventory, leases, containers, new ResultCollector(containers));
    return new HostRuntime(engine, activities, inventoryDir != null, leaseReconciler);
  }

  public RunActivities activities() {
    return activities;
  }

  public boolean simulated() {
    return simulated;
  }

  @Override
  public void close() {
    leaseReconciler.close();
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
