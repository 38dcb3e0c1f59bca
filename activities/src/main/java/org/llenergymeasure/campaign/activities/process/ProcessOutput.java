package org.llenergymeasure.campaign.activities.process;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.container.Secrets;
import org.llenergymeasure.campaign.workflows.FailureTypes;

/**
 * The run's output file ({@code output.raw}, written by the process itself, secrets unmasked): its
 * size and age for the watchdogs, its last lines for messages, and the masked copy {@code log.txt}
 * that is kept with the results.
 */
final class ProcessOutput {

  private static final int TAIL_BYTES = 8192;
  private static final int LINE_LIMIT = 200;

  private final Path file;

  ProcessOutput(Path attemptDir) {
    this.file = attemptDir.resolve(ProcessFiles.OUTPUT);
  }

  long bytes() {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  /** When the run last wrote output (the file system keeps it, so it survives a worker crash). */
  long lastWriteMillis() {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  /** The last {@code n} non-empty lines, secrets masked, each cut short. */
  List<String> tail(int n, Secrets secrets) {
    String text;
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long start = Math.max(0, in.length() - TAIL_BYTES);
      byte[] buf = new byte[(int) (in.length() - start)];
      in.seek(start);
      in.readFully(buf);
      text = new String(buf, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    for (String raw : text.split("[\r\n]+", -1)) {
      String line = secrets.redact(raw.strip());
      if (!line.isEmpty()) {
        lines.add(line.length() > LINE_LIMIT ? line.substring(0, LINE_LIMIT) + "..." : line);
      }
    }
    return lines.subList(Math.max(0, lines.size() - n), lines.size());
  }

  String lastLine(Secrets secrets) {
    List<String> last = tail(1, secrets);
    return last.isEmpty() ? null : last.get(0);
  }

  /**
   * Writes {@code log.txt} (secrets masked) unless it exists, line by line through a temporary
   * file, so a crash never leaves half a log that would count as saved.
   *
   * @return true when {@code log.txt} now exists, false when the run wrote nothing to save
   */
  boolean saveLog(Path attemptDir, Secrets secrets) {
    Path target = attemptDir.resolve(ProcessFiles.LOG);
    if (Files.exists(target)) {
      return true;
    }
    if (!Files.isRegularFile(file)) {
      return false;
    }
    Path tmp = null;
    try {
      tmp = Files.createTempFile(attemptDir, ".log", ".tmp");
      // An InputStreamReader replaces bytes that are not UTF-8 instead of failing on them.
      try (BufferedReader in =
              new BufferedReader(
                  new java.io.InputStreamReader(
                      Files.newInputStream(file), StandardCharsets.UTF_8));
          BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        int c;
        StringBuilder line = new StringBuilder();
        // Keeps the run's own line ends (and a last line without one) as they were.
        while ((c = in.read()) >= 0) {
          line.append((char) c);
          if (c == '\n') {
            out.write(secrets.redact(line.toString()));
            line.setLength(0);
          }
        }
        out.write(secrets.redact(line.toString()));
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return true;
    } catch (IOException e) {
      throw new RunFailureException(
          FailureTypes.RESULTS_UNWRITABLE,
          "cannot save the run's log to " + target + ": " + e.getMessage(),
          false,
          e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // Only a leftover temporary file.
        }
      }
    }
  }
}
