package org.llenergymeasure.campaign.activities.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.llenergymeasure.campaign.activities.container.Secrets;
import org.llenergymeasure.campaign.activities.progress.ProgressEvents;

/**
 * Follows a process-mode run's output file for progress events ({@link ProgressEvents}): each read
 * looks at the whole lines written since the last one, so an event is seen however much plain
 * output follows it before the next poll, and keeps the step of the newest. At most {@link #WINDOW}
 * bytes are read at a time: after a flood only its end is looked at. A try that re-attaches after a
 * crash starts from the end of the file (its last window) with the step the crashed try last
 * heartbeated. The text never leaves this class but as a masked step.
 */
final class ProcessSteps {

  /** The most bytes read per poll. */
  static final int WINDOW = 64 * 1024;

  private final Path file;
  private long offset = -1;
  private String step;

  /**
   * @param step the step an earlier try heartbeated, or null
   */
  ProcessSteps(Path file, String step) {
    this.file = file;
    this.step = step;
  }

  /** Reads what was written since the last call; returns the newest step (or the one before). */
  String read(Secrets secrets) {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long size = in.length();
      if (offset < 0 || offset > size) {
        offset = Math.max(0, size - WINDOW);
      }
      long start = Math.max(offset, size - WINDOW);
      boolean cut = start > offset || (start > 0 && offset == start && !atLineStart(in, start));
      if (size == start) {
        return step;
      }
      byte[] buf = new byte[(int) (size - start)];
      in.seek(start);
      in.readFully(buf);
      int end = lastNewline(buf);
      if (end < 0) {
        // No whole line yet; after a flood without newlines, skip what was read.
        offset = buf.length == WINDOW ? size : start;
        return step;
      }
      offset = start + end + 1;
      String[] lines = new String(buf, 0, end, StandardCharsets.UTF_8).split("\n", -1);
      for (int i = lines.length - 1; i >= (cut ? 1 : 0); i--) {
        var found = ProgressEvents.stepText(lines[i], secrets);
        if (found.isPresent()) {
          step = found.get();
          break;
        }
      }
    } catch (IOException e) {
      // Not there yet, or gone: the step stays as it was.
    }
    return step;
  }

  String step() {
    return step;
  }

  private static boolean atLineStart(RandomAccessFile in, long at) throws IOException {
    in.seek(at - 1);
    return in.read() == '\n';
  }

  private static int lastNewline(byte[] buf) {
    for (int i = buf.length - 1; i >= 0; i--) {
      if (buf[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
