package org.llenergymeasure.campaign.worker.host;

import io.temporal.client.WorkflowClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Supplier;
import org.llenergymeasure.campaign.workflows.registry.HostRecord;

/**
 * The host registry as one worker process sees it: one query serves every placement and every
 * route's drain check of the process for up to {@link #MAX_AGE} (a pool of busy hosts would
 * otherwise ask the registry workflow once per run, and wait for its workflow task each time).
 * Concurrent readers of an expired view wait for one query. A placement holds the GPUs it counted
 * on its first candidate until the host's record shows them leased (at most {@link #HOLD}), so
 * placements made before the host has reported its new lease do not all pick the same GPUs; the
 * host's lease still decides.
 */
public final class RegistryCache implements HostDirectory {

  /** How old the process's view of the registry may be when a placement or route reads it. */
  public static final Duration MAX_AGE = Duration.ofSeconds(1);

  /**
   * How long at most a placement's GPUs count as leased in this view: time for the run's route to
   * lease them and the host to report it (looked at every 2 s), on a busy machine too. A hold ends
   * sooner once the host's record shows those GPUs leased.
   */
  static final Duration HOLD = Duration.ofSeconds(15);

  private static final Map<WorkflowClient, RegistryCache> BY_CLIENT =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final Supplier<List<HostRecord>> read;
  private final Clock clock;
  private final Map<String, HostRecord> fresher = new HashMap<>();
  private final List<Hold> holds = new ArrayList<>();
  private List<HostRecord> view;
  private long readAtMs;
  private RuntimeException failure;
  private long failedAtMs;
  private int reads;

  private record Hold(String hostId, List<String> uuids, long untilMs) {}

  RegistryCache(Supplier<List<HostRecord>> read, Clock clock) {
    this.read = read;
    this.clock = clock;
  }

  /** The one view of every worker of this process on {@code client}'s server. */
  public static RegistryCache of(WorkflowClient client) {
    synchronized (BY_CLIENT) {
      return BY_CLIENT.computeIfAbsent(
          client, c -> new RegistryCache(new HostRegistryClient(c)::hosts, Clock.systemUTC()));
    }
  }

  /**
   * Every registered host, at most {@link #MAX_AGE} old (the age counts from before the query),
   * with this process's holds counted as leased.
   */
  @Override
  public synchronized List<HostRecord> hosts() {
    long now = clock.millis();
    if (failure != null && now - failedAtMs < MAX_AGE.toMillis()) {
      // A registry that just failed is asked again only after MAX_AGE: with the server down,
      // every route's drain check would otherwise wait for its own failing query, one by one.
      throw failure;
    }
    if (view == null || now - readAtMs >= MAX_AGE.toMillis()) {
      reads++;
      try {
        view = read.get();
      } catch (RuntimeException e) {
        failure = e;
        failedAtMs = now;
        throw e;
      }
      failure = null;
      readAtMs = now;
      fresher.clear();
    }
    holds.removeIf(h -> h.untilMs() <= now || confirmed(h));
    List<HostRecord> seen = new ArrayList<>(view.size());
    for (HostRecord r : view) {
      seen.add(withHolds(fresher.getOrDefault(r.hostId(), r)));
    }
    return seen;
  }

  @Override
  public long nowMs() {
    return clock.millis();
  }

  /** Counts {@code uuids} of {@code hostId} as leased in this view for {@link #HOLD}. */
  @Override
  public synchronized void hold(String hostId, List<String> uuids) {
    if (!uuids.isEmpty()) {
      holds.add(new Hold(hostId, List.copyOf(uuids), clock.millis() + HOLD.toMillis()));
    }
  }

  /**
   * A host's own record as the registry answered its report: newer than the view, kept until the
   * next query.
   */
  public synchronized void reported(HostRecord record) {
    if (view != null && view.stream().anyMatch(r -> r.hostId().equals(record.hostId()))) {
      fresher.put(record.hostId(), record);
    }
  }

  /** The next read queries the registry (a worker about to stop asks it about its own drain). */
  public synchronized void expire() {
    view = null;
    failure = null;
  }

  /**
   * How many times this view queried the registry, failed queries included (the placement benchmark
   * prints it).
   */
  public synchronized int reads() {
    return reads;
  }

  /** Whether the host's record now shows every GPU of the hold leased: the lease counts itself. */
  private boolean confirmed(Hold h) {
    HostRecord r = fresher.get(h.hostId());
    if (r == null) {
      r = view.stream().filter(x -> x.hostId().equals(h.hostId())).findFirst().orElse(null);
    }
    return r != null && r.leasedUuids().containsAll(h.uuids());
  }

  private HostRecord withHolds(HostRecord r) {
    Set<String> held = new HashSet<>();
    for (Hold h : holds) {
      if (h.hostId().equals(r.hostId())) {
        held.addAll(h.uuids());
      }
    }
    if (held.isEmpty()) {
      return r;
    }
    List<String> leased = new ArrayList<>(r.leasedUuids());
    for (String u : held) {
      if (!leased.contains(u)) {
        leased.add(u);
      }
    }
    return new HostRecord(
        r.hostId(),
        r.gpus(),
        r.driver(),
        r.workerVersion(),
        leased,
        r.quarantinedUuids(),
        r.registeredAtMs(),
        r.lastSeenMs(),
        r.draining());
  }
}
