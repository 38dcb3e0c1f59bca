package org.llenergymeasure.campaign.worker.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** runs.csv read back by a CSV parser: one row per valid run, units in the header, quoting. */
class TidyCsvTest {

  @TempDir Path results;

  @BeforeAll
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  @Test
  void oneRowPerValidRunWithLabelsAndUnitsReadsBack() throws Exception {
    Path file = results.resolve("tidy.yaml");
    Files.writeString(
        file,
        """
        campaign: tidy
        defaults:
          image: llem-probe:dev
          command: ["true"]
          gpus: [0]
        experiments:
          - name: x
            labels: {model: "llama, 8b \\"chat\\"", engine: pytorch}
          - name: y
            env: {SIDE: "1"}
            labels: {engine: "vllm\\nnightly"}
        execution:
          cycles: 3
        """);
    ReportData data =
        new NumbersLedger(results, "tidy")
            .line(
                "x",
                1,
                1,
                "completed",
                "\"metrics\": {\"energyJ\": 120.5, \"energyAdjustedJ\": 100.5,"
                    + " \"energyPerTokenJ\": 0.1205, \"energyPerTokenAdjustedJ\": 0.1005,"
                    + " \"tokensPerSecond\": 50, \"energySource\": \"host-window\"},"
                    + " \"validity\": {\"valid\": true, \"reasons\": [\"SAMPLE_GAP\","
                    + " \"CLOCK_SKEW\"]}")
            .line(
                "x",
                2,
                1,
                "completed",
                "\"result\": {\"total_energy_j\": 90, \"total_tokens\": 300}")
            .line(
                "x",
                3,
                1,
                "failed",
                "\"metrics\": {\"energyJ\": 1000}, \"validity\": {\"valid\": false, \"reasons\":"
                    + " [\"SAMPLE_GAP\"]}, \"error\": {\"type\": \"InvalidMeasurement\","
                    + " \"message\": \"SAMPLE_GAP\"}")
            .line("y", 1, 1, "failed", "\"error\": {\"type\": \"ExitNonZero\", \"message\": \"\"}")
            .line("y", 1, 2, "completed", "\"metrics\": {\"energyJ\": 5}")
            .line("y", 2, 1, "failed", "\"error\": {\"type\": \"OomKilled\", \"message\": \"\"}")
            .load(file);
    CampaignReport.Written w =
        CampaignReport.write(data, results.resolve("out"), Instant.parse("2026-02-01T00:00:00Z"));
    assertEquals(results.resolve("out").resolve("runs.csv"), w.csv());

    List<String[]> rows;
    try (MappingIterator<String[]> it =
        new CsvMapper()
            .readerFor(String[].class)
            .with(CsvParser.Feature.WRAP_AS_ARRAY)
            .readValues(w.csv().toFile())) {
      rows = it.readAll();
    }
    assertEquals(
        List.of(
            "campaign",
            "experiment",
            "run_id",
            "cycle",
            "attempt",
            "host",
            "label_engine",
            "label_model",
            "energy_J",
            "energy_adjusted_J",
            "energy_per_token_J",
            "energy_per_token_adjusted_J",
            "throughput_tokens_per_s",
            "energy_source",
            "validity_reasons"),
        List.of(rows.get(0)));
    assertEquals(4, rows.size(), "a header and the 3 valid runs: x.c1, x.c2, y.c1 (attempt 2)");
    assertEquals(
        List.of(
            "tidy",
            "x",
            "x.c1",
            "1",
            "1",
            "h1",
            "pytorch",
            "llama, 8b \"chat\"",
            "120.5",
            "100.5",
            "0.1205",
            "0.1005",
            "50.0",
            "host-window",
            "SAMPLE_GAP;CLOCK_SKEW"),
        List.of(rows.get(1)));
    // An older line: energy and energy per token from the result, nothing adjusted.
    assertEquals(
        List.of(
            "tidy",
            "x",
            "x.c2",
            "2",
            "1",
            "h1",
            "pytorch",
            "llama, 8b \"chat\"",
            "90.0",
            "",
            "0.3",
            "",
            "",
            "result",
            ""),
        List.of(rows.get(2)));
    assertEquals(
        List.of("y", "y.c1", "2", "vllm\nnightly", "", "5.0"),
        List.of(
            rows.get(3)[1],
            rows.get(3)[2],
            rows.get(3)[4],
            rows.get(3)[6],
            rows.get(3)[7],
            rows.get(3)[8]));
  }

  @Test
  void fieldsAreQuotedAsRfc4180Says() {
    assertEquals("plain", TidyCsv.field("plain"));
    assertEquals("\"a,b\"", TidyCsv.field("a,b"));
    assertEquals("\"say \"\"hi\"\"\"", TidyCsv.field("say \"hi\""));
    assertEquals("\"two\r\nlines\"", TidyCsv.field("two\r\nlines"));
    assertEquals("", TidyCsv.field(null));
  }
}
