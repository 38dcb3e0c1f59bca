package org.llenergymeasure.campaign.worker.drills;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the drill rows of an existing RELIABILITY.md back, so that a run of some drills keeps the
 * others' rows ({@link Figures#KEEP_ROWS}). A count column the file does not have yet reads as 0.
 */
final class FiguresFile {

  private static final List<String> COLUMNS =
      List.of(
          "drills run",
          "runs lost",
          "runs recorded twice",
          "containers left",
          "secrets found",
          "bad inputs tried",
          "host files touched");

  /** The heading of the list of measured figures below the table. */
  static final String TIMINGS = "## Measured (not compared)";

  private FiguresFile() {}

  /** The measured figures by drill ({@code - drill: figures} lines under {@link #TIMINGS}). */
  static Map<String, String> timings(Path file) {
    Map<String, String> out = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return out;
    }
    boolean in = false;
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.startsWith("## ")) {
          in = line.equals(TIMINGS);
        } else if (in && line.startsWith("- ") && line.contains(": ")) {
          int at = line.indexOf(": ");
          out.put(line.substring(2, at), line.substring(at + 2));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static List<Figures.Report> rows(Path file) {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Figures.Report> out = new ArrayList<>();
    List<String> header = null;
    for (String line : lines) {
      if (!line.startsWith("|")) {
        if (header != null) {
          break;
        }
        continue;
      }
      List<String> cells = cells(line);
      if (header == null) {
        if (cells.get(0).equals("drill")) {
          header = cells;
        }
        continue;
      }
      if (cells.get(0).startsWith("---") || cells.get(0).equals("**total**")) {
        continue;
      }
      int[] n = new int[COLUMNS.size()];
      for (int i = 0; i < COLUMNS.size(); i++) {
        int at = header.indexOf(COLUMNS.get(i));
        n[i] = at < 0 || at >= cells.size() ? 0 : Integer.parseInt(cells.get(at));
      }
      out.add(new Figures.Report(cells.get(0), n[0], n[1], n[2], n[3], n[4], n[5], n[6]));
    }
    return out;
  }

  private static List<String> cells(String line) {
    String inner = line.strip();
    inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
    return Arrays.stream(inner.split("\\|", -1)).map(String::strip).toList();
  }
}
