package org.llenergymeasure.campaign.activities.container;

import org.llenergymeasure.campaign.activities.RunCanceledException;
import org.llenergymeasure.campaign.workflows.host.AwaitProgress;

/**
 * Reports progress of a waiting step. The Temporal wiring passes the activity context's heartbeat
 * and turns Temporal's cancellation into {@link RunCanceledException}.
 */
@FunctionalInterface
public interface Heartbeater {

  /**
   * Reports the step's progress to the server.
   *
   * @throws RunCanceledException when the step was canceled and must stop
   */
  void heartbeat(AwaitProgress progress);

  static Heartbeater none() {
    return progress -> {};
  }
}
