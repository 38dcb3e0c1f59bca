package org.llenergymeasure.campaign.worker.report;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.llenergymeasure.campaign.worker.campaign.CampaignRecord;

/**
 * A results folder written line by line by hand, as the ledger holds it: lines with a {@code
 * metrics} and {@code validity} object, and older lines without.
 */
final class NumbersLedger {

  private final Path results;
  private final String campaign;
  private final List<String> lines = new ArrayList<>();

  NumbersLedger(Path results, String campaign) {
    this.results = results;
    this.campaign = campaign;
  }

  /** A completed attempt 1 whose line has {@code "metrics": {"energyJ": energy, ...}}. */
  NumbersLedger completed(String experiment, int cycle, String metricsFields) {
    return line(experiment, cycle, 1, "completed", "\"metrics\": {" + metricsFields + "}");
  }

  /** A line of one attempt, {@code fields} added after the ledger's own. */
  NumbersLedger line(String experiment, int cycle, int attempt, String status, String fields) {
    lines.add(
        "{\"runId\": \""
            + experiment
            + ".c"
            + cycle
            + "\", \"experiment\": \""
            + experiment
            + "\", \"cycle\": "
            + cycle
            + ", \"attempt\": "
            + attempt
            + ", \"status\": \""
            + status
            + "\", \"host\": \"h1\", \"startedAt\": \"2026-01-01T00:00:00Z\","
            + " \"finishedAt\": \"2026-01-01T00:01:00Z\""
            + (fields.isEmpty() ? "" : ", " + fields)
            + "}");
    return this;
  }

  /** A ledger line as given, e.g. one without the timestamps {@link #line} writes. */
  NumbersLedger raw(String line) {
    lines.add(line);
    return this;
  }

  /** Writes ledger.jsonl; with {@code campaignFile}, campaign.json naming that file. */
  ReportData load(Path campaignFile) throws Exception {
    Path dir = results.resolve(campaign);
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("ledger.jsonl"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    if (campaignFile != null) {
      new CampaignRecord(campaign, "hash", campaignFile.toString(), "2026-01-01T00:00:00Z")
          .writeIfAbsent(results);
    }
    return ReportData.load(results, campaign);
  }
}
