package org.llenergymeasure.campaign.activities.gpu.lease;

import java.util.Set;

/** The run attempts that have a container on this host that has not exited. */
@FunctionalInterface
public interface LiveRuns {

  /**
   * @throws RuntimeException when they cannot be listed (then nothing may be judged stale)
   */
  Set<LeaseOwner> withLiveContainer();
}
