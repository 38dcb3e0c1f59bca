package org.llenergymeasure.campaign.worker.schedule;

import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleSpec;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.llenergymeasure.campaign.config.Durations;
import org.llenergymeasure.campaign.worker.BadInput;

/**
 * When a schedule fires: a cron expression (in a time zone, UTC by default) or a fixed interval.
 * Exactly one of {@code cron} and {@code every} is set.
 *
 * @param cron the cron expression as given (the server checks it), or null
 * @param every the interval as written ({@code 24h}, {@code 30m}, {@code 10s}), or null
 * @param timezone the IANA zone id of the cron expression, or null for UTC
 */
public record ScheduleTiming(String cron, String every, String timezone) {

  /** From the flags of {@code schedule create}; bad input (exit 2) says what is wrong. */
  public static ScheduleTiming of(String cron, String every, String timezone) {
    if ((cron == null) == (every == null)) {
      throw new BadInput(
          "give exactly one of --cron EXPR (e.g. --cron \"0 2 * * *\") and --every DURATION"
              + " (e.g. --every 24h)");
    }
    if (cron != null && cron.isBlank()) {
      throw new BadInput("--cron is empty; write e.g. --cron \"0 2 * * *\" (02:00 every day)");
    }
    String interval = null;
    if (every != null) {
      Duration d;
      try {
        d = Durations.parse(every);
      } catch (IllegalArgumentException e) {
        throw new BadInput("--every " + every + ": " + e.getMessage());
      }
      if (d.isZero()) {
        throw new BadInput("--every " + every + ": the interval must be at least 1s");
      }
      interval = Durations.asWritten(d);
    }
    if (timezone != null) {
      if (every != null) {
        throw new BadInput(
            "--timezone applies to --cron only; an --every interval counts from 1970-01-01 UTC");
      }
      if (!timezone.equals("UTC") && !ZoneId.getAvailableZoneIds().contains(timezone)) {
        throw new BadInput(
            "--timezone "
                + timezone
                + " is not a time zone id; write one like UTC, Europe/Berlin or America/New_York");
      }
    }
    return new ScheduleTiming(cron == null ? null : cron.strip(), interval, timezone);
  }

  /** The schedule's spec. */
  public ScheduleSpec spec() {
    ScheduleSpec.Builder spec = ScheduleSpec.newBuilder();
    if (cron != null) {
      spec.setCronExpressions(List.of(cron));
      if (timezone != null) {
        spec.setTimeZoneName(timezone);
      }
    } else {
      spec.setIntervals(List.of(new ScheduleIntervalSpec(Durations.parse(every))));
    }
    return spec.build();
  }
}
