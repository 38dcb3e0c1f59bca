package org.llenergymeasure.campaign.activities;

import org.llenergymeasure.campaign.workflows.FailureTypes;

/**
 * Whether this host is draining ({@code llem-campaign drain HOST}): its running runs finish, and
 * routing refuses every new one the way a busy host does (a retryable GpuBusy), so a run with
 * another candidate host goes there and a run pinned here waits until {@code undrain}.
 */
@FunctionalInterface
public interface HostDrain {

  /** A host that is never drained (tests, tools that route without a registry). */
  HostDrain NEVER = () -> false;

  /** Whether the host drains now; never throws (a registry it cannot reach means "no"). */
  boolean draining();

  /** The refusal of a new run on a draining host: a retryable GpuBusy that names the drain. */
  static RunFailureException refusal(String hostId, String runId) {
    return new RunFailureException(
        FailureTypes.GPU_BUSY,
        "host "
            + hostId
            + " is draining (llem-campaign drain "
            + hostId
            + "): its running runs finish, no new run starts there; run "
            + runId
            + " goes to another candidate host or waits until `llem-campaign undrain "
            + hostId
            + "`",
        true);
  }
}
