package org.llenergymeasure.campaign.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.measurement.AttemptMetrics;
import org.llenergymeasure.campaign.activities.measurement.HostMeasurement;
import org.llenergymeasure.campaign.activities.measurement.Validity;

/** {@code results}: idle-adjusted and per-token energy and the validity verdict per run. */
class ResultsMetricColumnsTest {

  static final HostMeasurement HOST =
      new HostMeasurement(
          "counter", 1000.0, 10.0, 100.0, 120.0, 60, 0, List.of(), 40.0, 700.0, 11, List.of(),
          null);

  static LedgerEntry line(String runId, Validity validity, AttemptMetrics metrics)
      throws Exception {
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
        new ObjectMapper().readTree("{\"total_energy_j\": 900, \"total_tokens\": 200}"),
        null,
        "2026-01-01T00:00:00Z",
        "2026-01-01T00:00:10Z",
        HOST,
        null,
        validity,
        metrics);
  }

  @Test
  void theCsvEndsWithTheMetricsAndTheVerdictAndAnOldLineHasItsMetricsComputed() throws Exception {
    Validity warned = new Validity(true, List.of("SAMPLE_GAP", "CLOCK_STEP"), List.of());
    LedgerEntry now = line("x.c1", warned, AttemptMetrics.of(HOST, null));
    LedgerEntry old = line("x.c2", null, null);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    ResultsCsv.write(List.of(now, old), new PrintStream(bytes, true, StandardCharsets.UTF_8));

    List<String> rows = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(
        true,
        rows.get(0)
            .endsWith(
                ",host.energyAdjustedJ,host.windowEnergyAdjustedJ,metrics.energyJ,"
                    + "metrics.energyAdjustedJ,metrics.energyPerTokenJ,"
                    + "metrics.energyPerTokenAdjustedJ,metrics.tokensPerSecond,"
                    + "metrics.energySource,validity.valid,validity.reasons,validity.notes"),
        rows.get(0));
    // The line's own metrics (computed without tokens): 1000 J - 40 W x 10 s.
    assertEquals(
        true,
        rows.get(1).endsWith(",600.0,,1000.0,600.0,,,,host,true,SAMPLE_GAP CLOCK_STEP,"),
        rows.get(1));
    // An older line: computed from its host measurement and result (200 tokens), no verdict.
    assertEquals(
        true, rows.get(2).endsWith(",600.0,,1000.0,600.0,5.0,3.0,20.0,host,,,"), rows.get(2));
  }

  @Test
  void theTableShowsTheAdjustedAndPerTokenEnergyAndTheVerdict() throws Exception {
    Validity invalid = new Validity(false, List.of("BELOW_IDLE"), List.of());
    assertEquals(
        List.of("600.0 J", "5.000", "3.000", "invalid (BELOW_IDLE)"),
        MetricColumns.tableCells(line("x.c1", invalid, null)));
    assertEquals("ok", MetricColumns.verdict(new Validity(true, List.of(), List.of())));
    assertEquals("-", MetricColumns.verdict(null));
  }

  @Test
  void theJsonRunCarriesTheLinesVerdictAndMetrics() throws Exception {
    LedgerEntry now =
        line("x.c1", Validity.UNMEASURED, AttemptMetrics.of(null, line("y", null, null).result()));

    String json = UpstreamColumns.jsonRun(now).toString();

    assertEquals(
        true,
        json.contains(
            "\"validity\":{\"valid\":true,\"reasons\":[],\"notes\":[\"NO_HOST_MEASUREMENT\"]},"
                + "\"metrics\":{\"energyJ\":900.0,\"energyPerTokenJ\":4.5,"
                + "\"energySource\":\"result\"}"),
        json);
  }
}
