package org.llenergymeasure.campaign.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.measurement.HostMeasurement;
import org.llenergymeasure.campaign.activities.measurement.MeasuredWindow;

/** {@code results --csv}: the host's measurement as the last columns, or the reason it has none. */
class ResultsHostColumnsTest {

  static LedgerEntry line(String runId, HostMeasurement host, String note) {
    return new LedgerEntry(
        runId,
        "x",
        1,
        1,
        "completed",
        "h1",
        new LedgerEntry.Routing(List.of("GPU-a"), Map.of()),
        List.of("GPU-a"),
        "/r",
        null,
        null,
        "2026-01-01T00:00:00Z",
        "2026-01-01T00:00:10Z",
        host,
        note);
  }

  /** The rows without the metric and validity columns appended after these (no quoted cells). */
  static List<String> withoutMetricColumns(String csv) {
    int n = MetricColumns.CSV_COLUMNS.size();
    return csv.lines()
        .map(
            row -> {
              List<String> cells = List.of(row.split(",", -1));
              return String.join(",", cells.subList(0, cells.size() - n));
            })
        .toList();
  }

  @Test
  void hostColumnsComeLastWithValuesOrTheNote() {
    HostMeasurement m =
        new HostMeasurement(
            "counter", 1234.5, 10.0, 123.45, 300.0, 71, 0, List.of(), 80.0, 700.0, 11, List.of(),
            null);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ResultsCsv.write(
        List.of(line("x.c1", m, null), line("x.c2", null, "no host measurement: no NVML")),
        new PrintStream(bytes, true, StandardCharsets.UTF_8));

    List<String> rows = withoutMetricColumns(bytes.toString(StandardCharsets.UTF_8));
    assertEquals(
        "runId,experiment,cycle,attempt,status,host,uuids,verifiedUuids,errorType,errorMessage,startedAt,finishedAt,"
            + "resultDir,host.energyJ,host.method,host.meanPowerW,host.peakPowerW,host.peakTemperatureC,"
            + "host.thermalThrottleS,host.idlePowerW,host.note,host.windowEnergyJ,host.windowDurationS,"
            + "host.windowNote",
        rows.get(0));
    assertEquals(
        true, rows.get(1).endsWith(",1234.5,counter,123.45,300.0,71,0.0,80.0,,,,"), rows.get(1));
    assertEquals(
        true, rows.get(2).endsWith(",,,,,,,,no host measurement: no NVML,,,"), rows.get(2));
    assertEquals(
        List.of("no host measurement: no NVML"),
        ResultsCommand.notes(
            List.of(line("x.c1", m, null), line("x.c2", null, "no host measurement: no NVML"))));
  }

  @Test
  void theWindowColumnsCarryTheHostsEnergyOverTheRunsWindowOrWhyNot() {
    HostMeasurement await =
        new HostMeasurement(
            "counter", 5000.0, 20.0, 250.0, 300.0, 71, 0, List.of(), 80.0, 700.0, 21, List.of(),
            null);
    HostMeasurement windowed =
        await.withWindow(
            new MeasuredWindow(
                "windowStartMs/windowEndMs",
                1000L,
                16000L,
                "counter",
                3000.0,
                15.0,
                200.0,
                15,
                "interpolated",
                List.of(1.0, 1.0),
                120.0,
                null,
                List.of()));
    HostMeasurement outside =
        await.withWindow(
            new MeasuredWindow(
                "windowStartMs/windowEndMs",
                1000L,
                16000L,
                null,
                null,
                15.0,
                null,
                0,
                null,
                null,
                null,
                "the run's window ... starts 2.000 s before ...: no window energy",
                null));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ResultsCsv.write(
        List.of(line("x.c1", windowed, null), line("x.c2", outside, null)),
        new PrintStream(bytes, true, StandardCharsets.UTF_8));

    List<String> rows = withoutMetricColumns(bytes.toString(StandardCharsets.UTF_8));
    assertEquals(true, rows.get(1).endsWith(",80.0,,3000.0,15.0,"), rows.get(1));
    assertEquals(
        true,
        rows.get(2)
            .endsWith(",,15.0,the run's window ... starts 2.000 s before ...: no window energy"),
        rows.get(2));
    assertEquals("3000.0 J", ResultsCommand.hostWindowEnergy(line("x.c1", windowed, null)));
    assertEquals("-", ResultsCommand.hostWindowEnergy(line("x.c2", outside, null)));
    assertEquals("-", ResultsCommand.hostWindowEnergy(line("x.c3", null, "no NVML")));
  }
}
