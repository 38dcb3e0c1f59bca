package org.llenergymeasure.campaign.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code report}: runs.csv and numbers.json beside the HTML, {@code --csv FILE} a copy. */
class ReportCsvCommandTest {

  @TempDir Path results;

  @BeforeAll
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  @Test
  void writesTheCsvAndTheNumbersAndCopiesTheCsvWhereAsked() throws Exception {
    Path dir = results.resolve("rcsv");
    Files.createDirectories(dir);
    StringBuilder ledger = new StringBuilder();
    double[] energy = {10, 14};
    for (int c = 1; c <= 2; c++) {
      ledger
          .append("{\"runId\": \"x.c")
          .append(c)
          .append("\", \"experiment\": \"x\", \"cycle\": ")
          .append(c)
          .append(", \"attempt\": 1, \"status\": \"completed\", \"host\": \"h1\",")
          .append(" \"metrics\": {\"energyJ\": ")
          .append(energy[c - 1])
          .append("}, \"validity\": {\"valid\": true, \"reasons\": []}}\n");
    }
    Files.writeString(dir.resolve("ledger.jsonl"), ledger.toString());
    Path out = results.resolve("out");
    Path copy = results.resolve("copy.csv");

    CliRun run =
        CliRun.of(
            "report",
            "rcsv",
            "--results",
            results.toString(),
            "--out",
            out.toString(),
            "--csv",
            copy.toString(),
            "--json");
    assertEquals(0, run.exit(), run.err());
    JsonNode json = run.json();
    Path csv = Path.of(json.get("csv").asText());
    assertEquals(out.resolve("runs.csv").toAbsolutePath(), csv);
    assertEquals(Files.readString(csv), Files.readString(copy));
    assertTrue(Files.readString(csv).startsWith("campaign,experiment,run_id,"));
    assertEquals(3, Files.readString(csv).split("\r\n").length, "the header and 2 runs");

    JsonNode numbers = new ObjectMapper().readTree(Path.of(json.get("numbers").asText()).toFile());
    // 10 and 14 J: mean 12, t(0.975, 1) = 12.7062 x sd 2.828427 / sqrt(2) = 25.4124.
    assertEquals(12, numbers.at("/experiments/x/energyJ/mean").asDouble(), 1e-9);
    assertEquals(25.4124, numbers.at("/experiments/x/energyJ/halfWidth").asDouble(), 1e-4);
    assertEquals(0.95, numbers.get("confidence").asDouble(), 0);
    assertTrue(numbers.at("/convergence/experiments/x").isArray(), "2 cycles: a trace");
  }
}
