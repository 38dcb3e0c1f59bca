package org.llenergymeasure.campaign.worker.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;

/**
 * A ledger's complete lines (as {@code RunLedger} reads them: up to the last newline, a line that
 * is no entry skipped), each as its entry and as the JSON written, so the report also reads fields
 * that {@link LedgerEntry} does not map ({@code metrics}, {@code validity}) and a line carrying a
 * field it does not know is still read.
 */
final class LedgerLines {

  /** One line: the entry and the whole JSON object. */
  record Line(LedgerEntry entry, JsonNode json) {}

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private LedgerLines() {}

  static List<Line> read(Path ledger) {
    if (!Files.exists(ledger)) {
      return List.of();
    }
    String text;
    try {
      text = Files.readString(ledger, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the ledger " + ledger, e);
    }
    List<Line> out = new ArrayList<>();
    for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode json = JSON.readTree(line);
        LedgerEntry e = json.isObject() ? JSON.treeToValue(json, LedgerEntry.class) : null;
        if (e != null && e.runId() != null) {
          out.add(new Line(e, json));
        }
      } catch (IOException | IllegalArgumentException e) {
        // Not a ledger entry (RunLedger logs and skips such a line too).
      }
    }
    return out;
  }
}
