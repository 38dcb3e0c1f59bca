package org.llenergymeasure.campaign.activities;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Writes a run's (masked) log to a file, at most about {@code limit} bytes of it: the first half as
 * it comes, and the last half through a ring on disk beside the file, joined at {@link #close} with
 * one line saying how much was dropped between them. Memory use does not grow with the log: both
 * halves are on disk.
 */
public final class CappedLog implements AutoCloseable {

  private final Path file;
  private final Path ringFile;
  private final long limit;
  private final long headLimit;
  private final long ringSize;
  private final FileChannel out;
  private FileChannel ring;
  private long written;
  private long ringPosition;

  /**
   * @param file the file to write (created or truncated)
   * @param limit the most bytes of output to keep
   */
  public CappedLog(Path file, long limit) throws IOException {
    this.file = file;
    this.ringFile = file.resolveSibling(file.getFileName() + ".tail");
    this.limit = limit;
    this.headLimit = limit / 2;
    this.ringSize = limit - headLimit;
    this.out =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
  }

  public void write(String text) throws IOException {
    if (!text.isEmpty()) {
      write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  public void write(byte[] bytes) throws IOException {
    int offset = 0;
    if (written < headLimit) {
      int head = (int) Math.min(bytes.length, headLimit - written);
      writeFully(out, ByteBuffer.wrap(bytes, 0, head), -1);
      offset = head;
    }
    written += bytes.length;
    if (offset < bytes.length) {
      toRing(bytes, offset, bytes.length - offset);
    }
  }

  /** The ring keeps the newest {@code ringSize} bytes of what came after the head. */
  private void toRing(byte[] bytes, int offset, int length) throws IOException {
    if (ring == null) {
      ring =
          FileChannel.open(
              ringFile,
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING);
    }
    if (length > ringSize) {
      offset += (int) (length - ringSize);
      length = (int) ringSize;
    }
    while (length > 0) {
      int at = (int) (ringPosition % ringSize);
      int n = (int) Math.min(length, ringSize - at);
      writeFully(ring, ByteBuffer.wrap(bytes, offset, n), at);
      ringPosition += n;
      offset += n;
      length -= n;
    }
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      if (at < 0) {
        channel.write(buffer);
      } else {
        at += channel.write(buffer, at);
      }
    }
  }

  /** Bytes of output written, kept or not. */
  public long written() {
    return written;
  }

  /** Joins the head, the note on what was dropped and the tail; removes the ring. */
  @Override
  public void close() throws IOException {
    try (FileChannel o = out;
        FileChannel r = ring) {
      if (r != null) {
        long kept = Math.min(ringPosition, ringSize);
        long dropped = written - headLimit - kept;
        if (dropped > 0) {
          writeFully(o, ByteBuffer.wrap(note(dropped).getBytes(StandardCharsets.UTF_8)), -1);
        }
        if (ringPosition <= ringSize) {
          copy(r, 0, ringPosition, o);
        } else {
          long start = ringPosition % ringSize;
          copy(r, start, ringSize - start, o);
          copy(r, 0, start, o);
        }
      }
    } finally {
      Files.deleteIfExists(ringFile);
    }
  }

  private static void copy(FileChannel from, long position, long n, FileChannel to)
      throws IOException {
    long done = 0;
    while (done < n) {
      done += from.transferTo(position + done, n - done, to);
    }
  }

  private String note(long dropped) {
    return "\n[llem: "
        + human(dropped)
        + " of output dropped here; logLimit is "
        + written(limit)
        + "]\n";
  }

  /** 1.2 GB, 340.0 MB, 12.0 kB, 17 bytes (powers of 1000, as people read them). */
  static String human(long bytes) {
    String[] units = {"kB", "MB", "GB", "TB"};
    if (bytes < 1000) {
      return bytes + " bytes";
    }
    double v = bytes;
    int u = -1;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /** A size as a campaign file writes it: 1g, 512m, 1536k. */
  static String written(long bytes) {
    String[] units = {"t", "g", "m", "k"};
    int[] shifts = {40, 30, 20, 10};
    for (int i = 0; i < units.length; i++) {
      if (bytes % (1L << shifts[i]) == 0) {
        return (bytes >> shifts[i]) + units[i];
      }
    }
    return bytes + "b";
  }
}
