package org.llenergymeasure.campaign.workflows.schedule;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The name of a firing's campaign: {@code <schedule>-<yyyyMMdd>t<HHmmss>z}, the UTC time the
 * schedule gave the firing (the suffix Temporal appends to the action's workflow id), in a form
 * valid as a campaign name (lower case, no ':'). Pure: the firing's workflow and the CLI derive the
 * same name from the same workflow id.
 */
public final class FiringNames {

  /** {@code -20261207t020000z}: what a firing adds to the schedule's name. */
  public static final int SUFFIX_LENGTH = 17;

  /** The longest schedule name whose firings are still valid campaign names (63 characters). */
  public static final int MAX_SCHEDULE_NAME = 63 - SUFFIX_LENGTH;

  private static final DateTimeFormatter FORM =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private FiringNames() {}

  /**
   * The firing's campaign name.
   *
   * @param firingWorkflowId the firing's workflow id, {@code schedule/<name>-<RFC 3339 time>}
   * @param fallbackMillis the time to use when the id carries none (a firing started by hand)
   */
  public static String of(String schedule, String firingWorkflowId, long fallbackMillis) {
    return schedule + "-" + stamp(firedAt(schedule, firingWorkflowId, fallbackMillis));
  }

  /** The time in the firing's workflow id, else {@code fallbackMillis}. */
  public static Instant firedAt(String schedule, String firingWorkflowId, long fallbackMillis) {
    String prefix = ScheduledCampaignWorkflow.actionWorkflowId(schedule) + "-";
    if (firingWorkflowId != null && firingWorkflowId.startsWith(prefix)) {
      try {
        return OffsetDateTime.parse(firingWorkflowId.substring(prefix.length())).toInstant();
      } catch (DateTimeParseException e) {
        // not a schedule's suffix: use the fallback
      }
    }
    return Instant.ofEpochMilli(fallbackMillis);
  }

  /** {@code 20261207t020000z} for 2026-12-07T02:00:00Z (seconds; a fraction is cut). */
  public static String stamp(Instant at) {
    return FORM.format(at).toLowerCase(java.util.Locale.ROOT);
  }
}
