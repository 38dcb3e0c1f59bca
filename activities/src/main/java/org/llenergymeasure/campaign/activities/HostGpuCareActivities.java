package org.llenergymeasure.campaign.activities;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import java.util.Map;
import java.util.function.Consumer;
import org.llenergymeasure.campaign.workflows.host.CooldownRequest;
import org.llenergymeasure.campaign.workflows.host.CooldownResult;
import org.llenergymeasure.campaign.workflows.host.GpuCareActivities;
import org.llenergymeasure.campaign.workflows.host.IdleBaselineRequest;
import org.llenergymeasure.campaign.workflows.host.IdleBaselineResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The campaign's GPU care on this worker's host: idle baseline and cooldown from the host's {@link
 * GpuCare}, each reading heartbeated. A broken sensor never fails them: it is said in the result.
 */
public final class HostGpuCareActivities implements GpuCareActivities {

  private static final Logger log = LoggerFactory.getLogger(HostGpuCareActivities.class);

  private final HostSettings settings;
  private final GpuCare care;

  public HostGpuCareActivities(HostSettings settings, GpuCare care) {
    this.settings = settings;
    this.care = care;
  }

  @Override
  public IdleBaselineResult idleBaseline(IdleBaselineRequest request) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    IdleBaselineResult result;
    try {
      result = care.idleSampler().measure(settings.hostId(), request, heartbeats(context));
    } catch (IllegalStateException sensorBroken) {
      result =
          new IdleBaselineResult(
              settings.hostId(),
              Map.of(),
              "cannot read GPU temperatures: " + sensorBroken.getMessage() + "; no idle baseline");
    }
    log.info(
        "idle baseline of {} for campaign {}: {}",
        settings.hostId(),
        request.campaign(),
        result.note());
    return result;
  }

  @Override
  public CooldownResult cooldown(CooldownRequest request) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    CooldownResult result;
    try {
      result = care.cooldown().cooldown(request, heartbeats(context));
    } catch (IllegalStateException sensorBroken) {
      // A broken sensor must not hold a campaign: say so and go on.
      result =
          new CooldownResult(
              false, Map.of(), 0, "cannot read GPU temperatures: " + sensorBroken.getMessage());
    }
    log.info("cooldown after {} on {}: {}", request.runId(), settings.hostId(), result.note());
    return result;
  }

  /**
   * Heartbeats each reading of a wait (idle baseline, cooldown); a cancel or a timed-out attempt
   * ends the wait by the exception Temporal gave.
   */
  private static <T> Consumer<T> heartbeats(ActivityExecutionContext context) {
    return reading -> {
      try {
        context.heartbeat(reading);
      } catch (ActivityCompletionException stop) {
        throw Activity.wrap(stop);
      }
    };
  }
}
