package org.llenergymeasure.campaign.activities.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.llenergymeasure.campaign.activities.CappedLog;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.container.SecretMasker;
import org.llenergymeasure.campaign.activities.container.Secrets;
import org.llenergymeasure.campaign.workflows.FailureTypes;

/**
 * The run's output file ({@code output.raw}, written by the process itself, secrets unmasked, so
 * created by the worker with mode 0600 before the process starts): its size and age for the
 * watchdogs, its last lines for messages, and the masked copy {@code log.txt} that is kept with the
 * results (at most the experiment's {@code logLimit}: head and tail, see {@link CappedLog}). Every
 * read of it is masked, a secret cut at the edge of what was read included.
 */
final class ProcessOutput {

  private static final int TAIL_BYTES = 8192;
  private static final int LINE_LIMIT = 200;

  private static final Set<PosixFilePermission> PRIVATE =
      PosixFilePermissions.fromString("rw-------");

  private final Path file;

  ProcessOutput(Path attemptDir) {
    this.file = attemptDir.resolve(ProcessFiles.OUTPUT);
  }

  /** Creates the (empty) output file readable and writable by the worker's user only. */
  static void createPrivate(Path file) {
    try {
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        Files.setPosixFilePermissions(file, PRIVATE);
      } else {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PRIVATE));
      }
    } catch (IOException e) {
      throw new RunFailureException(
          FailureTypes.RESULTS_UNWRITABLE,
          "cannot create the run's output file " + file + ": " + e.getMessage(),
          false,
          e);
    }
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

  /**
   * The last {@code n} non-empty lines, secrets masked, each cut short.
   *
   * @param more the process may still write (so the end may be the start of a secret)
   */
  List<String> tail(int n, Secrets secrets, boolean more) {
    String text;
    long start;
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      start = Math.max(0, in.length() - TAIL_BYTES);
      byte[] buf = new byte[(int) (in.length() - start)];
      in.seek(start);
      in.readFully(buf);
      text = new String(buf, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of();
    }
    text = secrets.redactWindow(text, start > 0, more);
    List<String> lines = new ArrayList<>();
    for (String raw : text.split("[\r\n]+", -1)) {
      String line = raw.strip();
      if (!line.isEmpty()) {
        lines.add(line.length() > LINE_LIMIT ? line.substring(0, LINE_LIMIT) + "..." : line);
      }
    }
    return lines.subList(Math.max(0, lines.size() - n), lines.size());
  }

  String lastLine(Secrets secrets, boolean more) {
    List<String> last = tail(1, secrets, more);
    return last.isEmpty() ? null : last.get(0);
  }

  /**
   * Writes {@code log.txt} (secrets masked) unless it exists, line by line through a temporary
   * file, so a crash never leaves half a log that would count as saved.
   *
   * @return true when {@code log.txt} now exists, false when the run wrote nothing to save
   */
  boolean saveLog(Path attemptDir, Secrets secrets, long logLimit) {
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
      SecretMasker masker = new SecretMasker(secrets);
      try (InputStream in = Files.newInputStream(file);
          CappedLog out = new CappedLog(tmp, logLimit)) {
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
          out.write(masker.write(buf, 0, n));
        }
        out.write(masker.finish());
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
