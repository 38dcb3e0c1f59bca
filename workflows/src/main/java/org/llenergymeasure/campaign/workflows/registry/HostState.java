package org.llenergymeasure.campaign.workflows.registry;

import java.time.Duration;

/**
 * What a registered host is now, derived from its record and the reader's clock: never stored, so a
 * host that stops reporting becomes {@link #STALE} without anyone writing it.
 */
public enum HostState {
  /** Seen recently and taking runs. */
  UP,
  /** Not seen for {@link #STALE_AFTER}: no run is placed there; it stays listed. */
  STALE,
  /** Drain requested and runs still hold GPUs there: they finish, no new run is placed. */
  DRAINING,
  /** Drain requested and nothing runs there any more: the worker may be stopped. */
  DRAINED;

  /** A host whose worker has not reported for this long is stale. */
  public static final Duration STALE_AFTER = Duration.ofMinutes(2);

  /** The word {@code hosts} prints and {@code --json} carries. */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Whether a new run may be placed on a host in this state. */
  public boolean placeable() {
    return this == UP;
  }
}
