package org.llenergymeasure.campaign.activities.gpu.lease;

import java.util.Set;

/**
 * Which run attempts are still in progress. The worker answers it from the runs' workflows (the
 * source of truth: a run whose ExperimentWorkflow is closed can hold nothing), so a lease or a
 * container is judged the same whether the run uses a container, a process or no GPU.
 */
@FunctionalInterface
public interface LiveRuns {

  /**
   * Tells which of {@code candidates} are still in progress.
   *
   * @param candidates the attempts to judge
   * @return those of them that are still in progress
   * @throws RuntimeException when that cannot be told (then nothing may be judged stale)
   */
  Set<LeaseOwner> liveAmong(Set<LeaseOwner> candidates);
}
