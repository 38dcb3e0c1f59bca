package org.llenergymeasure.campaign.workflows.host;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The campaign's care of a host's GPUs between runs, on the task queue of that host ({@code
 * llem-host-<hostId>}): an idle baseline before the first run and a cooldown after each. Neither
 * fails a campaign: without a temperature sensor each returns at once and says so. Both heartbeat
 * after every reading.
 *
 * <p>Their activity type names ({@code Cooldown}, {@code IdleBaseline}) are in every recorded
 * history and never change (docs/upgrading.md).
 */
@ActivityInterface
public interface GpuCareActivities {

  /**
   * After a run: wait until its GPUs are cool enough (campaign {@code execution.cooldown}),
   * heartbeating, never longer than the request's timeout. Without a temperature sensor it returns
   * at once and says so.
   */
  @ActivityMethod(name = "Cooldown")
  CooldownResult cooldown(CooldownRequest request);

  /**
   * Before a campaign's first run (with {@code cooldown.idleBaseline}): every GPU of this host at
   * rest, a few readings each, their medians. Without a sensor it returns no GPUs and says so.
   */
  @ActivityMethod(name = "IdleBaseline")
  IdleBaselineResult idleBaseline(IdleBaselineRequest request);
}
