package org.llenergymeasure.campaign.activities.gpu.lease;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which leases of a host belong to runs that are gone (gpu leases of a crashed worker must not
 * block their GPUs forever). Pure: the caller lists the live run containers and reads the clock.
 *
 * <p>A run attempt's leases are stale when no live container of that attempt exists on the host and
 * its newest lease is older than the grace period. The grace period protects a run between route
 * and launch (its container does not exist yet: the image may still be pulling). An attempt is
 * judged as a whole: all its leases go, or none.
 */
public final class StaleLeases {

  /**
   * The outcome for the leases given.
   *
   * @param drop attempts whose leases are stale now
   * @param keptForNow attempts without a live container whose leases are still within the grace
   *     period: look again at {@code recheckAt}
   * @param recheckAt when the youngest of {@code keptForNow} leaves its grace period; empty when
   *     nothing is kept for now
   */
  public record Decision(
      Set<LeaseOwner> drop, Set<LeaseOwner> keptForNow, Optional<Instant> recheckAt) {
    public Decision {
      drop = Set.copyOf(drop);
      keptForNow = Set.copyOf(keptForNow);
    }
  }

  private StaleLeases() {}

  /**
   * Decides which of the host's leases are stale.
   *
   * @param leases every lease of the host
   * @param live the run attempts still in progress (their leases are kept)
   * @param now the current time
   * @param grace how long a lease of a run not in progress is still trusted
   */
  public static Decision decide(
      List<GpuLease> leases, Set<LeaseOwner> live, Instant now, Duration grace) {
    Map<LeaseOwner, Instant> newest = new HashMap<>();
    Set<LeaseOwner> owners = new LinkedHashSet<>();
    for (GpuLease lease : leases) {
      owners.add(lease.owner());
      Instant at = acquiredAt(lease, now);
      newest.merge(lease.owner(), at, (a, b) -> a.isAfter(b) ? a : b);
    }
    Set<LeaseOwner> drop = new LinkedHashSet<>();
    Set<LeaseOwner> kept = new LinkedHashSet<>();
    Instant recheck = null;
    for (LeaseOwner owner : owners) {
      if (live.contains(owner)) {
        continue;
      }
      Instant expires = newest.get(owner).plus(grace);
      if (!now.isBefore(expires)) {
        drop.add(owner);
      } else {
        kept.add(owner);
        recheck = recheck == null || expires.isBefore(recheck) ? expires : recheck;
      }
    }
    return new Decision(drop, kept, Optional.ofNullable(recheck));
  }

  /**
   * When the lease was taken. A time in the future (the clock was set back) counts as now, so the
   * lease gets one grace period from here; an unreadable one (the file was edited by hand) counts
   * as long ago: only a live container keeps such a lease.
   */
  private static Instant acquiredAt(GpuLease lease, Instant now) {
    try {
      Instant at = Instant.parse(lease.acquiredAt());
      return at.isAfter(now) ? now : at;
    } catch (DateTimeParseException | NullPointerException e) {
      return Instant.EPOCH;
    }
  }
}
