package org.llenergymeasure.campaign.worker.schedule;

import java.util.List;

/**
 * What {@code schedule describe} and {@code schedule list} show of one schedule
 * (docs/cli-contract.md, "Schedules").
 *
 * @param schedule its name
 * @param scheduleId its Temporal schedule id, {@code schedule/<name>}
 * @param campaign the {@code campaign:} name inside the frozen file
 * @param file the file's path when it was frozen (create or update)
 * @param hash the frozen file's plan hash (the {@code hash} of {@code validate} and {@code plan})
 * @param cron the cron expression, or null
 * @param every the interval, or null
 * @param timezone the cron expression's time zone (UTC when none was given), or null with every
 * @param overlap always {@code skip}: a firing while one runs is skipped
 * @param paused whether it is paused
 * @param note the note of its last pause or unpause, or null
 * @param nextFireTimes the next times it fires (UTC, ISO-8601), none while paused
 * @param fired how many firings it has started
 * @param skipped how many firings were skipped because one was running
 * @param running the campaign names of the firings running now
 * @param firings its recent firings, oldest first (the server keeps the last 10)
 */
public record ScheduleView(
    String schedule,
    String scheduleId,
    String campaign,
    String file,
    String hash,
    String cron,
    String every,
    String timezone,
    String overlap,
    boolean paused,
    String note,
    List<String> nextFireTimes,
    long fired,
    long skipped,
    List<String> running,
    List<Firing> firings) {

  /**
   * One firing.
   *
   * @param campaign its campaign's name, {@code <schedule>-<yyyyMMdd>t<HHmmss>z}
   * @param scheduledAt when it was due (UTC, ISO-8601)
   * @param startedAt when it started
   * @param state its campaign's state (running, paused, completed, failed, canceled), or {@code
   *     starting} before its campaign exists
   */
  public record Firing(String campaign, String scheduledAt, String startedAt, String state) {}
}
