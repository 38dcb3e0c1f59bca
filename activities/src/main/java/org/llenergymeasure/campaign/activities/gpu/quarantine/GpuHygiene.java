package org.llenergymeasure.campaign.activities.gpu.quarantine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import org.llenergymeasure.campaign.activities.WorkerShutdownException;
import org.llenergymeasure.campaign.activities.gpu.cooldown.GpuCooldown;
import org.llenergymeasure.campaign.activities.gpu.inventory.GpuDevice;
import org.llenergymeasure.campaign.activities.gpu.inventory.GpuProcess;
import org.llenergymeasure.campaign.activities.gpu.inventory.HostInventory;
import org.llenergymeasure.campaign.activities.gpu.inventory.InventorySource;
import org.llenergymeasure.campaign.workflows.host.GpuHolder;

/**
 * Is a GPU clean after its run: no compute process left on it (other than those that were there
 * when the run got it), and its used memory back within {@link #MEMORY_SLACK_MIB} of what it was? A
 * process that was just killed can take a moment to leave the driver's list, so a dirty GPU is
 * looked at again for a few polls before it counts as dirty.
 *
 * <p>Only full GPUs are checked: on a MIG GPU the driver does not say which instance a process
 * uses, so another run's process on a sibling instance would look like a leftover.
 */
public final class GpuHygiene {

  /** Used memory this much above the routing-time value (or above 0) with no process = not back. */
  public static final long MEMORY_SLACK_MIB = 256;

  /** What is wrong with one GPU. */
  public record Finding(String uuid, List<GpuHolder> holders, Long usedMemoryMiB, String reason) {}

  private final InventorySource inventory;
  private final GpuMemory memory;
  private final LongFunction<String> processNames;
  private final int polls;
  private final java.time.Duration poll;
  private final GpuCooldown.Sleeper sleeper;

  /**
   * @param processNames a pid's command name, or null (a simulated host's pids are not ours)
   * @param polls how many times a dirty GPU is looked at before it counts (at least 1)
   */
  public GpuHygiene(
      InventorySource inventory,
      GpuMemory memory,
      LongFunction<String> processNames,
      int polls,
      java.time.Duration poll,
      GpuCooldown.Sleeper sleeper) {
    this.inventory = inventory;
    this.memory = memory;
    this.processNames = processNames;
    this.polls = Math.max(1, polls);
    this.poll = poll;
    this.sleeper = sleeper;
  }

  public GpuMemory memory() {
    return memory;
  }

  /**
   * Returns the GPUs of {@code uuids} that are not clean, by UUID; empty when all are (or when the
   * inventory cannot be read: nothing is quarantined on a guess).
   */
  public Map<String, Finding> check(Collection<String> uuids, GpusAtRoute before) {
    List<String> full = uuids.stream().filter(u -> u.regionMatches(true, 0, "GPU-", 0, 4)).toList();
    Map<String, Finding> findings = Map.of();
    for (int i = 0; i < polls && !full.isEmpty(); i++) {
      if (i > 0) {
        try {
          sleeper.sleep(poll);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new WorkerShutdownException(
              "GPU check interrupted: the worker is shutting down", e);
        }
      }
      HostInventory host;
      try {
        host = inventory.read();
      } catch (RuntimeException e) {
        return Map.of();
      }
      findings = findings(host, memory.usedMiB(), full, before);
      if (findings.isEmpty()) {
        break;
      }
    }
    return findings;
  }

  private Map<String, Finding> findings(
      HostInventory host,
      Optional<Map<String, Long>> used,
      List<String> uuids,
      GpusAtRoute before) {
    Map<String, Finding> out = new LinkedHashMap<>();
    for (String uuid : uuids) {
      GpuDevice gpu =
          host.gpus().stream()
              .filter(g -> g.uuid().equalsIgnoreCase(uuid))
              .findFirst()
              .orElse(null);
      if (gpu == null) {
        continue;
      }
      List<Long> wereThere = before.pids().getOrDefault(uuid, List.of());
      List<GpuHolder> holders = new ArrayList<>();
      for (GpuProcess p : host.processesOn(gpu)) {
        if (!wereThere.contains(p.pid())) {
          holders.add(new GpuHolder(p.pid(), processNames.apply(p.pid()), p.usedMemoryMiB()));
        }
      }
      Long usedNow = used.map(m -> m.get(uuid)).orElse(null);
      long allowed = before.usedMemoryMiB().getOrDefault(uuid, 0L) + MEMORY_SLACK_MIB;
      boolean memoryHeld = usedNow != null && usedNow > allowed && wereThere.isEmpty();
      if (!holders.isEmpty()) {
        out.put(
            uuid,
            new Finding(
                uuid,
                holders,
                usedNow,
                (holders.size() == 1 ? "a process is" : holders.size() + " processes are")
                    + " still on GPU "
                    + gpu.index()
                    + " after cleanup: "
                    + holders.stream().map(GpuHolder::describe).collect(Collectors.joining(", "))));
      } else if (memoryHeld) {
        out.put(
            uuid,
            new Finding(
                uuid,
                List.of(),
                usedNow,
                "GPU "
                    + gpu.index()
                    + " still has "
                    + usedNow
                    + " MiB in use after cleanup with no process"
                    + " listed (allowed "
                    + allowed
                    + " MiB)"));
      }
    }
    return out;
  }
}
