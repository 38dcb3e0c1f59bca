package org.llenergymeasure.campaign.activities.gpu.lease;

import static org.llenergymeasure.campaign.workflows.FailureTypes.GPU_BUSY;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.llenergymeasure.campaign.activities.RunFailureException;

/**
 * The GPU leases of one host: which run attempt holds which GPU, in a small JSON file ({@code
 * <LLEM_HOME>/leases/<hostId>.json}). Every operation reads, changes and rewrites the file under an
 * exclusive lock, so two routings (threads of one worker, or two worker processes on the same host)
 * can never be granted the same GPU.
 */
public final class GpuLeaseStore {

  private final String hostId;
  private final LeaseFile file;
  private final LeaseLock lock;
  private final Clock clock;

  /** A store on {@code leaseFile}; several instances (and processes) may share one file. */
  public GpuLeaseStore(Path leaseFile, String hostId, Clock clock) {
    this.hostId = hostId;
    this.file = new LeaseFile(leaseFile);
    this.lock = new LeaseLock(leaseFile.resolveSibling(leaseFile.getFileName() + ".lock"));
    this.clock = clock;
  }

  /** The store of host {@code hostId} under the state folder {@code llemHome}. */
  public static GpuLeaseStore forHost(Path llemHome, String hostId) {
    return new GpuLeaseStore(
        llemHome.resolve("leases").resolve(hostId + ".json"), hostId, Clock.systemUTC());
  }

  /**
   * Grants {@code owner} exactly these GPUs, all or none. Idempotent: a retried route activity gets
   * its own leases back (with their first acquisition time). GPUs the owner held before but no
   * longer asks for are released.
   *
   * @return the owner's leases after the call
   * @throws RunFailureException of type GpuBusy (retryable) naming the holder when another run
   *     holds any of them; nothing changes then
   */
  public List<GpuLease> acquire(LeaseOwner owner, Collection<String> uuids) {
    Set<String> wanted = new LinkedHashSet<>(uuids);
    return lock.withLock(
        () -> {
          List<GpuLease> current = file.read();
          List<GpuLease> heldByOthers =
              current.stream()
                  .filter(l -> wanted.contains(l.uuid()) && !l.owner().equals(owner))
                  .toList();
          if (!heldByOthers.isEmpty()) {
            throw new RunFailureException(GPU_BUSY, describeHeld(heldByOthers), true);
          }
          List<GpuLease> next = new ArrayList<>();
          List<GpuLease> mine = new ArrayList<>();
          for (GpuLease l : current) {
            if (!l.owner().equals(owner)) {
              next.add(l);
            } else if (wanted.contains(l.uuid())) {
              mine.add(l);
            }
          }
          String now = clock.instant().toString();
          for (String uuid : wanted) {
            if (mine.stream().noneMatch(l -> l.uuid().equals(uuid))) {
              mine.add(new GpuLease(uuid, owner, now));
            }
          }
          next.addAll(mine);
          if (!next.equals(current)) {
            file.write(next);
          }
          return List.copyOf(mine);
        });
  }

  /** Drops every lease of {@code owner}; returns what it held (nothing is not an error). */
  public List<GpuLease> release(LeaseOwner owner) {
    return removeWhere(l -> l.owner().equals(owner));
  }

  /** Every lease on this host. */
  public List<GpuLease> holders() {
    return lock.withLock(file::read);
  }

  /** The UUIDs held by anyone but {@code owner}: what {@code count: N} must not pick. */
  public Set<String> leasedByOthers(LeaseOwner owner) {
    return holders().stream()
        .filter(l -> !l.owner().equals(owner))
        .map(GpuLease::uuid)
        .collect(Collectors.toSet());
  }

  /**
   * Drops the leases of every owner not in {@code stillAlive} (runs whose container and workflow
   * are gone, found at worker start).
   *
   * @return the dropped leases
   */
  public List<GpuLease> reconcile(Set<LeaseOwner> stillAlive) {
    return removeWhere(l -> !stillAlive.contains(l.owner()));
  }

  /**
   * Drops the leases of the owners that {@code chooser} picks from the current leases. The choice
   * is made under the lock, on the same content that is then rewritten, so a lease taken meanwhile
   * by another routing is judged as it is.
   *
   * @return the dropped leases
   */
  public List<GpuLease> dropOwners(Function<List<GpuLease>, Set<LeaseOwner>> chooser) {
    return lock.withLock(
        () -> {
          List<GpuLease> current = file.read();
          Set<LeaseOwner> owners = chooser.apply(current);
          List<GpuLease> dropped =
              current.stream().filter(l -> owners.contains(l.owner())).toList();
          if (!dropped.isEmpty()) {
            file.write(current.stream().filter(l -> !owners.contains(l.owner())).toList());
          }
          return dropped;
        });
  }

  private List<GpuLease> removeWhere(java.util.function.Predicate<GpuLease> drop) {
    return lock.withLock(
        () -> {
          List<GpuLease> current = file.read();
          List<GpuLease> dropped = current.stream().filter(drop).toList();
          if (!dropped.isEmpty()) {
            file.write(current.stream().filter(drop.negate()).toList());
          }
          return dropped;
        });
  }

  private String describeHeld(List<GpuLease> held) {
    return held.stream()
            .map(l -> l.uuid() + " is leased by " + l.owner() + " since " + l.acquiredAt())
            .collect(Collectors.joining("; "))
        + " on host "
        + hostId
        + "; it is free again when that run's cleanup releases it";
  }
}
