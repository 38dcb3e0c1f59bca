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

    List<String> rows = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(
        "runId,experiment,cycle,attempt,status,host,uuids,verifiedUuids,errorType,errorMessage,startedAt,finishedAt,"
            + "resultDir,host.energyJ,host.method,host.meanPowerW,host.peakPowerW,host.peakTemperatureC,"
            + "host.thermalThrottleS,host.idlePowerW,host.note",
        rows.get(0));
    assertEquals(
        true, rows.get(1).endsWith(",1234.5,counter,123.45,300.0,71,0.0,80.0,"), rows.get(1));
    assertEquals(true, rows.get(2).endsWith(",,,,,,,,no host measurement: no NVML"), rows.get(2));
    assertEquals(
        List.of("no host measurement: no NVML"),
        ResultsCommand.notes(
            List.of(line("x.c1", m, null), line("x.c2", null, "no host measurement: no NVML"))));
  }
}
