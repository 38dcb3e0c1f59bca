package org.llenergymeasure.campaign.worker.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.llenergymeasure.campaign.config.Durations;

/**
 * The runs this host's worker completed, read from the campaign's ledger as lines are appended, so
 * {@code run} can name each one: {@code ✓ small-on-gpu0.c1 completed in 1.7 s, 123 J}. Only the
 * lines appended after it was made are read (a {@code run} that attaches again does not repeat the
 * earlier ones); a line not complete yet (no newline) is read at the next look.
 */
public final class FinishedRuns {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path ledger;
  private long offset;

  /** Starts at the ledger's current end (0 when it does not exist yet). */
  public FinishedRuns(Path ledger) {
    this.ledger = ledger;
    this.offset = size(ledger);
  }

  /** The completed runs appended since the last look, one readable text each (no prefix). */
  public List<String> completedSinceLastLook() {
    List<String> out = new ArrayList<>();
    for (JsonNode line : newLines()) {
      if ("completed".equals(line.path("status").asText())) {
        out.add(describe(line));
      }
    }
    return out;
  }

  /** {@code RUN_ID completed in 1.7 s, 123 J} (the energy when the line's metrics know it). */
  static String describe(JsonNode line) {
    StringBuilder b = new StringBuilder(line.path("runId").asText("?")).append(" completed");
    Duration took =
        duration(line.path("startedAt").asText(null), line.path("finishedAt").asText(null));
    if (took != null) {
      b.append(" in ").append(seconds(took));
    }
    JsonNode energy = line.path("metrics").path("energyJ");
    if (energy.isNumber()) {
      b.append(", ").append(joules(energy.asDouble()));
    }
    return b.toString();
  }

  static String seconds(Duration d) {
    if (d.toMillis() < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
    return Durations.human(d);
  }

  static String joules(double j) {
    return Math.abs(j) >= 100
        ? String.format(Locale.ROOT, "%.0f J", j)
        : String.format(Locale.ROOT, "%.3g J", j);
  }

  private static Duration duration(String start, String end) {
    if (start == null || end == null) {
      return null;
    }
    try {
      Duration d = Duration.between(Instant.parse(start), Instant.parse(end));
      return d.isNegative() ? null : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private List<JsonNode> newLines() {
    long size = size(ledger);
    if (size <= offset) {
      return List.of();
    }
    byte[] bytes;
    try (RandomAccessFile f = new RandomAccessFile(ledger.toFile(), "r")) {
      f.seek(offset);
      bytes = new byte[(int) Math.min(size - offset, Integer.MAX_VALUE - 8)];
      f.readFully(bytes);
    } catch (IOException e) {
      return List.of(); // read again at the next look
    }
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] != '\n') {
      end--;
    }
    offset += end;
    List<JsonNode> out = new ArrayList<>();
    for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).lines().toList()) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode json = JSON.readTree(line);
        if (json.isObject()) {
          out.add(json);
        }
      } catch (IOException e) {
        // Not a ledger entry: the ledger's own reader skips such a line too.
      }
    }
    return out;
  }

  private static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }
}
