package org.llenergymeasure.campaign.worker.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.ledger.RunLedger;

/**
 * Ledger lines with and without the host's energy over the run's own window, read back from the
 * file as {@code results} and {@code report} read them.
 */
class HostWindowReadBackTest {

  /** A line as a worker with windows writes it: 5000 J over the await, 3000 J over the window. */
  static final String WITH_WINDOW =
      "{\"runId\":\"x.c1\",\"experiment\":\"x\",\"cycle\":1,\"attempt\":1,\"status\":\"completed\","
          + "\"host\":\"h1\",\"routing\":{\"uuids\":[\"GPU-a\"],\"env\":{}},\"verifiedUuids\":[\"GPU-a\"],"
          + "\"resultDir\":\"/r/x.c1\",\"result\":{\"total_energy_j\":2940,\"windowStartMs\":1000,"
          + "\"windowEndMs\":16000},\"error\":null,\"startedAt\":\"2026-01-01T00:00:00Z\","
          + "\"finishedAt\":\"2026-01-01T00:00:20Z\",\"hostMeasurement\":{\"method\":\"counter\","
          + "\"energyJ\":5000.0,\"durationS\":20.0,\"meanPowerW\":250.0,\"peakPowerW\":300.0,"
          + "\"peakTemperatureC\":60,\"thermalThrottleS\":0.0,\"throttleReasons\":[],\"idlePowerW\":80.0,"
          + "\"powerLimitW\":700.0,\"samples\":21,\"gpus\":[],\"window\":{\"source\":"
          + "\"windowStartMs/windowEndMs\",\"startMs\":1000,\"endMs\":16000,\"method\":\"counter\","
          + "\"energyJ\":3000.0,\"durationS\":15.0,\"meanPowerW\":200.0,\"samples\":15,"
          + "\"edges\":\"interpolated\",\"edgeGapsS\":[1.0,1.0],\"interpolatedJ\":120.0,\"note\":null,"
          + "\"gpus\":[{\"uuid\":\"GPU-a\",\"method\":\"counter\",\"energyJ\":3000.0}]}},"
          + "\"hostMeasurementNote\":null}";

  /** The same run as a worker before windows wrote it: no window key at all. */
  static final String BEFORE_WINDOWS =
      WITH_WINDOW
          .replace("x.c1", "x.c2")
          .replace("\"cycle\":1", "\"cycle\":2")
          .replaceAll(",\"window\":\\{.*\\]\\}\\}", "}");

  @Test
  void theWindowIsReadBackAndShownAndOldLinesKeepWorking(@TempDir Path tmp) throws Exception {
    assertTrue(!BEFORE_WINDOWS.contains("window\""), BEFORE_WINDOWS);
    Path dir = Files.createDirectories(tmp.resolve("c"));
    Files.writeString(dir.resolve(RunLedger.FILE), WITH_WINDOW + "\n" + BEFORE_WINDOWS + "\n");

    List<LedgerEntry> lines = RunLedger.of(tmp, "c").read();

    assertEquals(2, lines.size());
    assertEquals(3000.0, lines.get(0).hostMeasurement().window().energyJ(), 1e-9);
    assertEquals(List.of(1.0, 1.0), lines.get(0).hostMeasurement().window().edgeGapsS());
    assertNull(lines.get(1).hostMeasurement().window());
    assertEquals(5000.0, lines.get(1).hostMeasurement().energyJ(), 1e-9);

    AttemptRecord windowed = AttemptRecord.of(lines.get(0), List.of());
    AttemptRecord old = AttemptRecord.of(lines.get(1), List.of());
    assertEquals(3000.0, windowed.hostComparableEnergyJ(), 1e-9);
    assertEquals(98.0, windowed.runToHostPercent(), 1e-9, "2940 J of 3000 J");
    assertNull(old.hostWindowEnergyJ());
    assertEquals(58.8, old.runToHostPercent(), 1e-9, "2940 J of the whole await's 5000 J");

    ReportData d = ReportData.of("c", null, List.of(windowed, old));
    ExperimentSummary x = d.experiments().get(0);
    assertEquals(1, x.hostWindowEnergyJ().n());
    assertEquals(3000.0, x.hostWindowEnergyJ().mean(), 1e-9);
    assertEquals(2, x.runToHostPercent().n());
    String html = HtmlReport.render(d, List.of(), Instant.parse("2026-02-01T00:00:00Z"));
    assertTrue(html.contains("<th>host energy, run's window (J)</th>"), html);
    assertTrue(
        html.contains(
            "<td class=\"num\">5,000<br><span class=\"muted\">run's window: 3,000</span></td>"),
        html);
    assertTrue(html.contains("<td class=\"num\">5,000</td>"), "the old line: await only");

    List<String> charts = ReportCharts.all(d).stream().map(Chart::fileName).toList();
    assertTrue(charts.contains("host-vs-run.png"), charts.toString());
  }
}
