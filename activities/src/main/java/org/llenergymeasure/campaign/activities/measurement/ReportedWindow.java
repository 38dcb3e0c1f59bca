package org.llenergymeasure.campaign.activities.measurement;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The measurement window a run's result reports for its own energy figure, as read from the result
 * object. Two forms are read, the first found wins:
 *
 * <ul>
 *   <li>{@code windowStartMs} / {@code windowEndMs}: epoch milliseconds (the example workload);
 *   <li>{@code start_time} / {@code end_time}: ISO-8601 times (llenergymeasure's result, whose
 *       energy window runs from just before {@code start_time} to just before {@code end_time}). A
 *       time without an offset (llenergymeasure writes the run's local time without one) is tried
 *       both in the worker's time zone and in UTC (a container's usual zone); {@link WindowEnergy}
 *       keeps the reading that lies inside the await.
 * </ul>
 *
 * @param source the fields it came from
 * @param readings the candidate [start, end] pairs in epoch ms, in the order to try; empty when
 *     unusable
 * @param note why it is unusable; null when usable
 */
public record ReportedWindow(String source, List<Reading> readings, String note) {

  public static final String EPOCH_FIELDS = "windowStartMs/windowEndMs";
  public static final String ISO_FIELDS = "start_time/end_time";

  /**
   * One way to read the window's times.
   *
   * @param how how the times were read: null when unambiguous, else e.g. "as UTC"
   */
  public record Reading(long startMs, long endMs, String how) {}

  public ReportedWindow {
    readings = List.copyOf(readings);
  }

  /**
   * The window {@code result} reports; empty when it reports none (neither pair of fields is
   * there).
   *
   * @param localZone the worker's time zone, for times without an offset
   */
  public static Optional<ReportedWindow> of(JsonNode result, ZoneId localZone) {
    if (result == null || !result.isObject()) {
      return Optional.empty();
    }
    if (result.has("windowStartMs") || result.has("windowEndMs")) {
      return Optional.of(epoch(result.get("windowStartMs"), result.get("windowEndMs")));
    }
    if (result.has("start_time") || result.has("end_time")) {
      return Optional.of(iso(result.get("start_time"), result.get("end_time"), localZone));
    }
    return Optional.empty();
  }

  private static ReportedWindow epoch(JsonNode start, JsonNode end) {
    if (start == null || end == null || !start.isNumber() || !end.isNumber()) {
      return unusable(
          EPOCH_FIELDS,
          "the result's windowStartMs and windowEndMs are not both numbers ("
              + shown(start)
              + ", "
              + shown(end)
              + "): window ignored");
    }
    long s = Math.round(start.asDouble());
    long e = Math.round(end.asDouble());
    if (e <= s) {
      return unusable(
          EPOCH_FIELDS,
          "the result's windowEndMs "
              + e
              + " is not after windowStartMs "
              + s
              + ": window ignored");
    }
    return new ReportedWindow(EPOCH_FIELDS, List.of(new Reading(s, e, null)), null);
  }

  private static ReportedWindow iso(JsonNode start, JsonNode end, ZoneId localZone) {
    String bad =
        "the result's start_time and end_time are not both ISO-8601 times ("
            + shown(start)
            + ", "
            + shown(end)
            + "): window ignored";
    if (start == null || end == null || !start.isTextual() || !end.isTextual()) {
      return unusable(ISO_FIELDS, bad);
    }
    Optional<Long> s = withOffset(start.asText());
    Optional<Long> e = withOffset(end.asText());
    List<Reading> readings = new ArrayList<>();
    if (s.isPresent() && e.isPresent()) {
      readings.add(new Reading(s.get(), e.get(), null));
    } else {
      Optional<LocalDateTime> ls = local(start.asText());
      Optional<LocalDateTime> le = local(end.asText());
      if (ls.isEmpty() || le.isEmpty()) {
        return unusable(ISO_FIELDS, bad);
      }
      readings.add(
          reading(ls.get(), le.get(), localZone, "in the worker's time zone " + localZone));
      Reading utc = reading(ls.get(), le.get(), ZoneOffset.UTC, "as UTC");
      if (utc.startMs() != readings.get(0).startMs()) {
        readings.add(utc);
      }
    }
    Reading first = readings.get(0);
    if (first.endMs() <= first.startMs()) {
      return unusable(
          ISO_FIELDS,
          "the result's end_time "
              + end.asText()
              + " is not after start_time "
              + start.asText()
              + ": window ignored");
    }
    return new ReportedWindow(ISO_FIELDS, readings, null);
  }

  private static Reading reading(LocalDateTime s, LocalDateTime e, ZoneId zone, String how) {
    return new Reading(
        s.atZone(zone).toInstant().toEpochMilli(),
        e.atZone(zone).toInstant().toEpochMilli(),
        "time without an offset, read " + how);
  }

  private static Optional<Long> withOffset(String text) {
    try {
      return Optional.of(OffsetDateTime.parse(text).toInstant().toEpochMilli());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Optional<LocalDateTime> local(String text) {
    try {
      return Optional.of(LocalDateTime.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static ReportedWindow unusable(String source, String note) {
    return new ReportedWindow(source, List.of(), note);
  }

  /** A value as the note quotes it, cut short. */
  private static String shown(JsonNode n) {
    String s = n == null ? "missing" : n.toString();
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
