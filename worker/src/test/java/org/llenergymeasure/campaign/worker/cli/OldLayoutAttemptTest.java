package org.llenergymeasure.campaign.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.ledger.RunLedger;

/**
 * Attempts recorded before the run folder {@code a<n>/out/} existed keep everything flat in {@code
 * a<n>/} (the run's result beside the worker's records): {@code results}, {@code report} and {@code
 * logs} read them as before.
 */
class OldLayoutAttemptTest {

  private static final String CAMPAIGN = "old-layout";

  @TempDir Path results;

  private Path oldAttempt(String runId, String log) throws Exception {
    Path a1 = Files.createDirectories(results.resolve(CAMPAIGN).resolve(runId).resolve("a1"));
    Files.writeString(a1.resolve("result.json"), "{\"total_energy_j\": 42.5}");
    Files.writeString(a1.resolve("log.txt"), log);
    Files.writeString(a1.resolve("probe.txt"), "# llem-campaign probe\n");
    Files.writeString(
        a1.resolve("routing.json"),
        "{\"hostId\": \"h1\", \"devices\": [{\"uuid\": \"GPU-a\", \"index\": 0,"
            + " \"name\": \"NVIDIA H100\"}], \"env\": {}}");
    RunLedger.of(results, CAMPAIGN)
        .append(
            new LedgerEntry(
                runId,
                "x",
                1,
                1,
                "completed",
                "h1",
                new LedgerEntry.Routing(List.of("GPU-a"), Map.of("CUDA_VISIBLE_DEVICES", "GPU-a")),
                List.of("GPU-a"),
                a1.toString(),
                new ObjectMapper().readTree("{\"total_energy_j\": 42.5}"),
                null,
                "2026-01-01T00:00:00Z",
                "2026-01-01T00:00:10Z",
                null,
                null));
    return a1;
  }

  @Test
  void resultsReportAndLogsReadAnAttemptWithoutARunFolder() throws Exception {
    Path a1 = oldAttempt("x.c1", "old log line\n");

    CliRun csv = CliRun.of("results", CAMPAIGN, "--results", results.toString(), "--csv");
    assertEquals(0, csv.exit(), csv.err());
    assertTrue(csv.out().contains("x.c1"), csv.out());
    assertTrue(csv.out().contains(a1.toString()), csv.out());

    Path reportDir = results.resolve("report-out");
    CliRun report =
        CliRun.of(
            "report", CAMPAIGN, "--results", results.toString(), "--out", reportDir.toString());
    assertEquals(0, report.exit(), report.err());
    assertTrue(Files.readString(reportDir.resolve("report.html")).contains("x.c1"));

    CliRun logs = CliRun.of("logs", CAMPAIGN, "x.c1", "--results", results.toString());
    assertEquals(0, logs.exit(), logs.err());
    assertEquals("old log line\n", logs.out());
  }

  @Test
  void aSavedLogThatIsALinkIsNotPrinted() throws Exception {
    Path secret = Files.writeString(results.resolve("host-secret.txt"), "HOST-ONLY-MARKER\n");
    Path a1 = oldAttempt("x.c1", "");
    // An old-layout run could write log.txt itself: a link to a host file.
    Files.delete(a1.resolve("log.txt"));
    Files.createSymbolicLink(a1.resolve("log.txt"), secret);

    CliRun logs = CliRun.of("logs", CAMPAIGN, "x.c1", "--results", results.toString());
    assertFalse(logs.out().contains("HOST-ONLY-MARKER"), logs.out());
    assertFalse(logs.err().contains("HOST-ONLY-MARKER"), logs.err());
    assertTrue(logs.err().contains("symbolic link"), logs.err());
  }
}
