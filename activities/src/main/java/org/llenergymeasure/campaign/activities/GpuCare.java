package org.llenergymeasure.campaign.activities;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.activities.gpu.cooldown.FileThermometer;
import org.llenergymeasure.campaign.activities.gpu.cooldown.GpuCooldown;
import org.llenergymeasure.campaign.activities.gpu.cooldown.GpuOccupancy;
import org.llenergymeasure.campaign.activities.gpu.cooldown.GpuSensor;
import org.llenergymeasure.campaign.activities.gpu.cooldown.IdleBaselineSampler;
import org.llenergymeasure.campaign.activities.gpu.cooldown.NvidiaSmiSensor;
import org.llenergymeasure.campaign.activities.gpu.inventory.HostInventory;
import org.llenergymeasure.campaign.activities.gpu.inventory.InventorySource;
import org.llenergymeasure.campaign.activities.gpu.quarantine.GpuHygiene;
import org.llenergymeasure.campaign.activities.gpu.quarantine.GpuMemory;
import org.llenergymeasure.campaign.activities.gpu.quarantine.GpusAtRoute;
import org.llenergymeasure.campaign.activities.gpu.quarantine.ProcessNames;
import org.llenergymeasure.campaign.activities.gpu.quarantine.QuarantineReview;
import org.llenergymeasure.campaign.activities.gpu.quarantine.QuarantineStore;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.QuarantinedGpu;
import org.llenergymeasure.campaign.workflows.host.RunRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the host does for its GPUs' sake around the runs: the cooldown after a run, the idle
 * baseline at campaign start, and hygiene (a GPU left unclean by a run is quarantined, and released
 * once clean). Without a quarantine store ({@link #withoutHygiene}) there is no hygiene check.
 */
public record GpuCare(
    GpuCooldown cooldown,
    IdleBaselineSampler idleSampler,
    QuarantineStore quarantine,
    GpuHygiene hygiene,
    Clock clock) {

  private static final Logger log = LoggerFactory.getLogger(GpuCare.class);

  /**
   * The host's sensor: a simulated host's temperature.csv, else the given one (NVML or nvidia-smi).
   */
  public static GpuSensor sensorFor(HostSettings settings, GpuSensor real) {
    return settings.inventoryDir() != null
        ? new FileThermometer(settings.inventoryDir()).sensor()
        : real;
  }

  /**
   * Cooldown and baseline, no hygiene (no quarantine store): for tests and benchmarks whose runs
   * leave nothing behind on the GPUs.
   */
  public static GpuCare withoutHygiene(HostSettings settings, InventorySource inventory) {
    GpuSensor sensor = sensorFor(settings, new NvidiaSmiSensor());
    GpuOccupancy occupancy = GpuOccupancy.of(inventory);
    return new GpuCare(
        GpuCooldown.realTime(sensor, occupancy),
        new IdleBaselineSampler(sensor, occupancy, d -> Thread.sleep(d.toMillis())),
        null,
        null,
        Clock.systemUTC());
  }

  /**
   * Everything, on a real or simulated host.
   *
   * @param realSensor the sensor of a real GPU host (NVML telemetry where it loads, else
   *     nvidia-smi)
   */
  public static GpuCare forHost(
      HostSettings settings,
      InventorySource inventory,
      GpuSensor realSensor,
      QuarantineStore quarantine) {
    GpuSensor sensor = sensorFor(settings, realSensor);
    GpuOccupancy occupancy = GpuOccupancy.of(inventory);
    boolean simulated = settings.inventoryDir() != null;
    GpuMemory memory = simulated ? GpuMemory.file(settings.inventoryDir()) : GpuMemory.nvidiaSmi();
    GpuCooldown.Sleeper sleeper = d -> Thread.sleep(d.toMillis());
    return new GpuCare(
        GpuCooldown.realTime(sensor, occupancy),
        new IdleBaselineSampler(sensor, occupancy, sleeper),
        quarantine,
        // A simulated host's pids are not this machine's: never name them from /proc.
        new GpuHygiene(
            inventory,
            memory,
            simulated ? pid -> null : ProcessNames::of,
            10,
            Duration.ofSeconds(1),
            sleeper),
        Clock.systemUTC());
  }

  boolean hygieneOn() {
    return quarantine != null && hygiene != null;
  }

  /**
   * Before routing: lift the quarantine of GPUs that are clean now; the UUIDs still quarantined.
   */
  List<QuarantinedGpu> reviewAtRoute(HostInventory host) {
    if (!hygieneOn()) {
      return List.of();
    }
    for (QuarantinedGpu q : QuarantineReview.liftClean(quarantine, host, hygiene.memory())) {
      log.warn(
          "GPU {} on {} is clean again (was: {}); quarantine lifted",
          q.uuid(),
          q.host(),
          q.reason());
    }
    return quarantine.list();
  }

  /**
   * After routing: what the GPUs held already, for the cleanup's check. Never fails the routing.
   */
  void rememberAtRoute(HostSettings settings, RunRef run, HostInventory host, GpuRouting routing) {
    if (!hygieneOn()) {
      return;
    }
    try {
      GpusAtRoute at = GpusAtRoute.of(host, routing.uuids(), hygiene.memory().usedMiB());
      AttemptFolder.create(settings, run).write(GpusAtRoute.FILE, at.toJson());
    } catch (RuntimeException e) {
      log.warn(
          "run {}: could not save the GPUs' state at routing ({}); cleanup will count every process as left over",
          run.runId(),
          e.getMessage());
    }
  }

  /**
   * After the run's container is gone, before its lease is released: quarantines the run's GPUs
   * that are not clean. Retry-safe: a retried cleanup that finds a GPU clean now lifts the
   * quarantine this same attempt recorded.
   */
  List<QuarantinedGpu> afterCleanup(HostSettings settings, RunRef run, GpuRouting routing) {
    if (!hygieneOn() || routing == null || routing.uuids().isEmpty()) {
      return List.of();
    }
    GpusAtRoute before =
        GpusAtRoute.read(AttemptFolder.of(settings, run).resolve(GpusAtRoute.FILE));
    Map<String, GpuHygiene.Finding> findings = hygiene.check(routing.uuids(), before);
    String leftBy = run.resultPath();
    List<QuarantinedGpu> out = new ArrayList<>();
    for (String uuid : routing.uuids()) {
      GpuHygiene.Finding f = findings.get(uuid);
      if (f == null) {
        quarantine.releaseWhere(q -> q.uuid().equalsIgnoreCase(uuid) && leftBy.equals(q.leftBy()));
        continue;
      }
      QuarantinedGpu stored =
          quarantine.quarantine(
              new QuarantinedGpu(
                  settings.hostId(),
                  uuid,
                  f.holders(),
                  f.usedMemoryMiB(),
                  leftBy,
                  clock.instant().toString(),
                  f.reason()));
      log.warn(
          "run {}: GPU {} quarantined on {}: {}; no new run gets it until it is clean or `{}`",
          run.runId(),
          uuid,
          settings.hostId(),
          f.reason(),
          stored.releaseCommand());
      out.add(stored);
    }
    return out;
  }
}
