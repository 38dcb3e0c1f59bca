package org.llenergymeasure.campaign.worker.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.measurement.HostMeasurement;

/** The host's own energy in the report, and invalid measurements kept out of every spread. */
class HostMeasurementReportTest {

  static HostMeasurement host(double joules) {
    return new HostMeasurement(
        "counter",
        joules,
        10.0,
        joules / 10.0,
        null,
        60,
        0,
        List.of(),
        80.0,
        700.0,
        11,
        List.of(),
        null);
  }

  static LedgerEntry line(
      String runId,
      int cycle,
      String status,
      String error,
      int containerJ,
      HostMeasurement host,
      String note)
      throws Exception {
    return new LedgerEntry(
        runId,
        "x",
        cycle,
        1,
        status,
        "h1",
        new LedgerEntry.Routing(List.of("GPU-a"), Map.of()),
        List.of("GPU-a"),
        "/r/" + runId,
        new ObjectMapper().readTree("{\"total_energy_j\": " + containerJ + "}"),
        error == null
            ? null
            : new LedgerEntry.Failure(error, "host energy 10 J vs container 9999 J differ by ..."),
        "2026-01-01T00:00:00Z",
        "2026-01-01T00:00:10Z",
        host,
        note);
  }

  static ReportData data(LedgerEntry... lines) {
    return ReportData.of(
        "c",
        null,
        java.util.Arrays.stream(lines).map(e -> AttemptRecord.of(e, List.of())).toList());
  }

  @Test
  void anInvalidMeasurementIsShownButNeverAveragedIn() throws Exception {
    ReportData d =
        data(
            line("x.c1", 1, "completed", null, 100, host(110), null),
            line("x.c2", 2, "completed", null, 120, host(130), null),
            line("x.c3", 3, "failed", "InvalidMeasurement", 9999, host(10), null));

    ExperimentSummary x = d.experiments().get(0);
    assertEquals(2, x.completed());
    assertEquals(1, x.failed());
    assertEquals(2, x.energyJ().n());
    assertEquals(
        110.0, x.energyJ().mean(), 1e-9, "9999 J of the invalid attempt is not in the mean");
    assertEquals(120.0, x.hostEnergyJ().mean(), 1e-9);
    assertEquals(2, x.hostEnergyJ().n());
    assertEquals(1, d.failures().size());
    assertEquals("InvalidMeasurement", d.failures().get(0).type());

    String html = HtmlReport.render(d, List.of(), Instant.parse("2026-02-01T00:00:00Z"));
    assertTrue(html.contains("<th>host energy (J)</th>"));
    assertTrue(html.contains("NVML readings for 3 of 3 attempts"), html);
    // The run row shows the run's energy and the host's side by side.
    assertTrue(html.contains("<td class=\"num\">100.0</td><td class=\"num\">110.0</td>"), html);
  }

  @Test
  void withoutHostMeasurementsTheReportSaysWhyAndInventsNothing() throws Exception {
    String note = "no host measurement: simulated host (--inventory): no NVML";
    ReportData d = data(line("x.c1", 1, "completed", null, 100, null, note));

    assertNull(d.experiments().get(0).hostEnergyJ());
    String html = HtmlReport.render(d, List.of(), Instant.parse("2026-02-01T00:00:00Z"));
    assertTrue(
        html.contains("<td>host measurement</td><td>" + HtmlReport.esc(note) + "</td>"), html);
    assertTrue(html.contains("<td class=\"muted\">" + HtmlReport.esc(note) + "</td>"), html);
    assertFalse(html.contains("NVML readings for"));
  }

  @Test
  void linesFromBeforeHostMeasurementsSaySo() throws Exception {
    LedgerEntry old =
        new LedgerEntry(
            "x.c1",
            "x",
            1,
            1,
            "completed",
            "h1",
            null,
            List.of(),
            "/r",
            null,
            null,
            null,
            null,
            null,
            null);
    assertEquals(
        "no host measurement: recorded by a worker without host measurements",
        AttemptRecord.of(old, List.of()).hostMeasurementNote());
  }
}
