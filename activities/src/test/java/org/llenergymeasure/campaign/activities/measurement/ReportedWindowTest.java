package org.llenergymeasure.campaign.activities.measurement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The window a result reports, in the example workload's and in llenergymeasure's fields. */
class ReportedWindowTest {

  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  static Optional<ReportedWindow> of(String json, ZoneId zone) throws Exception {
    JsonNode n = new ObjectMapper().readTree(json);
    return ReportedWindow.of(n, zone);
  }

  @Test
  void epochMillisecondsAreTakenAsTheyAre() throws Exception {
    ReportedWindow w =
        of("{\"total_energy_j\": 1, \"windowStartMs\": 1000, \"windowEndMs\": 16000.4}", BERLIN)
            .orElseThrow();
    assertEquals(ReportedWindow.EPOCH_FIELDS, w.source());
    assertEquals(List.of(new ReportedWindow.Reading(1000, 16000, null)), w.readings());
    assertNull(w.note());
  }

  @Test
  void aResultWithoutWindowReportsNone() throws Exception {
    assertTrue(of("{\"total_energy_j\": 1}", BERLIN).isEmpty());
    assertTrue(ReportedWindow.of(null, BERLIN).isEmpty());
  }

  @Test
  void notNumbersOrAnEndNotAfterTheStartAreIgnoredWithANote() throws Exception {
    ReportedWindow text =
        of("{\"windowStartMs\": \"1000\", \"windowEndMs\": 2000}", BERLIN).orElseThrow();
    assertTrue(text.readings().isEmpty());
    assertEquals(
        "the result's windowStartMs and windowEndMs are not both numbers (\"1000\", 2000): window"
            + " ignored",
        text.note());
    ReportedWindow half = of("{\"windowStartMs\": 1000}", BERLIN).orElseThrow();
    assertTrue(half.note().contains("(1000, missing)"), half.note());
    ReportedWindow backwards =
        of("{\"windowStartMs\": 5000, \"windowEndMs\": 5000}", BERLIN).orElseThrow();
    assertEquals(
        "the result's windowEndMs 5000 is not after windowStartMs 5000: window ignored",
        backwards.note());
    ReportedWindow nulls =
        of("{\"windowStartMs\": null, \"windowEndMs\": null}", BERLIN).orElseThrow();
    assertTrue(nulls.readings().isEmpty());
  }

  @Test
  void isoTimesWithAnOffsetAreExact() throws Exception {
    ReportedWindow w =
        of(
                "{\"start_time\": \"2027-01-15T08:00:02.5Z\","
                    + " \"end_time\": \"2027-01-15T09:00:17.250+01:00\"}",
                BERLIN)
            .orElseThrow();
    long start = Instant.parse("2027-01-15T08:00:02.500Z").toEpochMilli();
    assertEquals(List.of(new ReportedWindow.Reading(start, start + 14_750, null)), w.readings());
  }

  /** llenergymeasure writes datetime.now(): the run's local time, microseconds, no offset. */
  @Test
  void llenergymeasuresTimesWithoutOffsetAreTriedInTheWorkersZoneThenInUtc() throws Exception {
    String result =
        "{\"total_energy_j\": 812.5, \"start_time\": \"2027-01-15T09:00:02.123456\","
            + " \"end_time\": \"2027-01-15T09:00:17.654321\"}";
    ReportedWindow w = of(result, BERLIN).orElseThrow();
    assertEquals(ReportedWindow.ISO_FIELDS, w.source());
    long localStart = Instant.parse("2027-01-15T08:00:02.123Z").toEpochMilli();
    long utcStart = Instant.parse("2027-01-15T09:00:02.123Z").toEpochMilli();
    assertEquals(2, w.readings().size());
    assertEquals(localStart, w.readings().get(0).startMs());
    assertEquals(localStart + 15_531, w.readings().get(0).endMs());
    assertEquals(
        "time without an offset, read in the worker's time zone Europe/Berlin",
        w.readings().get(0).how());
    assertEquals(utcStart, w.readings().get(1).startMs());
    assertEquals("time without an offset, read as UTC", w.readings().get(1).how());
    // On a worker in UTC the two readings are one.
    assertEquals(1, of(result, ZoneOffset.UTC).orElseThrow().readings().size());
  }

  @Test
  void isoTimesThatAreNotTimesAreIgnoredWithANote() throws Exception {
    ReportedWindow w = of("{\"start_time\": \"yesterday\", \"end_time\": 5}", BERLIN).orElseThrow();
    assertTrue(w.readings().isEmpty());
    assertTrue(w.note().startsWith("the result's start_time and end_time are not both ISO-8601"));
    ReportedWindow backwards =
        of(
                "{\"start_time\": \"2027-01-15T09:00:02\", \"end_time\": \"2027-01-15T09:00:01\"}",
                BERLIN)
            .orElseThrow();
    assertTrue(backwards.note().contains("is not after start_time"), backwards.note());
  }

  @Test
  void theWorkloadsFieldsWinOverLlenergymeasures() throws Exception {
    ReportedWindow w =
        of(
                "{\"windowStartMs\": 1000, \"windowEndMs\": 2000,"
                    + " \"start_time\": \"2027-01-15T09:00:02\", \"end_time\": \"2027-01-15T09:00:03\"}",
                BERLIN)
            .orElseThrow();
    assertEquals(ReportedWindow.EPOCH_FIELDS, w.source());
  }
}
