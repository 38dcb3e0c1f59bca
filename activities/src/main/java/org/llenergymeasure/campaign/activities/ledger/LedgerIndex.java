package org.llenergymeasure.campaign.activities.ledger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each run attempt's line starts in one ledger file, kept up to date by reading only the
 * bytes appended since the last look. Without it every collect parsed the whole ledger three times
 * (look up, check before append, look up again): O(runs) per run, so a 10,000-run campaign spent
 * most of its worker CPU and heap re-parsing its ledger (BENCHMARKS.md, scale).
 *
 * <p>Only complete lines are indexed. A file that was replaced (another file key), shortened, or
 * whose first bytes changed is indexed again from the start. Not thread-safe: callers hold the
 * ledger's per-file lock.
 */
final class LedgerIndex {

  private static final Logger log = LoggerFactory.getLogger(LedgerIndex.class);

  /** How much of the file's beginning identifies it (its first entry, which never changes). */
  private static final int SIGNATURE_BYTES = 64;

  private final Path file;
  private final Map<String, Long> offsets = new HashMap<>();
  private Object fileKey;
  private byte[] signature = new byte[0];
  private long indexedTo;

  LedgerIndex(Path file) {
    this.file = file;
  }

  /**
   * Indexes the complete lines appended since the last call.
   *
   * @return the file's size (greater than {@link #indexedTo()} when it ends in a partial line)
   */
  long refresh(FileChannel channel) throws IOException {
    long size = channel.size();
    Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    byte[] head = readAt(channel, 0, (int) Math.min(SIGNATURE_BYTES, size));
    boolean sameFile =
        Objects.equals(key, fileKey)
            && size >= indexedTo
            && head.length >= signature.length
            && Arrays.equals(Arrays.copyOf(head, signature.length), signature);
    if (!sameFile) {
      offsets.clear();
      indexedTo = 0;
      signature = new byte[0];
      fileKey = key;
    }
    if (size > indexedTo) {
      byte[] chunk = readAt(channel, indexedTo, (int) (size - indexedTo));
      int pos = 0;
      for (int nl = indexOf(chunk, pos); nl >= 0; nl = indexOf(chunk, pos)) {
        String line = new String(chunk, pos, nl - pos, StandardCharsets.UTF_8);
        LedgerEntry e = RunLedger.parseLine(line);
        if (e != null) {
          offsets.putIfAbsent(e.key(), indexedTo + pos);
        } else if (!line.isBlank()) {
          log.warn(
              "ledger {}: the line at byte {} is not a ledger entry; ignored",
              file,
              indexedTo + pos);
        }
        pos = nl + 1;
      }
      indexedTo += pos;
    }
    if (signature.length < SIGNATURE_BYTES && indexedTo > signature.length) {
      signature = Arrays.copyOf(head, (int) Math.min(head.length, indexedTo));
    }
    return size;
  }

  /** The end of the last complete line indexed. */
  long indexedTo() {
    return indexedTo;
  }

  /** Where the first line of {@code key} (run id + "#" + attempt) starts, or null. */
  Long offsetOf(String key) {
    return offsets.get(key);
  }

  /** A line of {@code length} bytes (newline included) now ends the file at {@code offset}. */
  void appended(String key, long offset, long length) {
    offsets.putIfAbsent(key, offset);
    indexedTo = offset + length;
  }

  /** The line starting at {@code offset}, without its newline. */
  static String lineAt(FileChannel channel, long offset) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    long position = offset;
    while (true) {
      buffer.clear();
      int n = channel.read(buffer, position);
      if (n <= 0) {
        break;
      }
      byte[] bytes = buffer.array();
      for (int i = 0; i < n; i++) {
        if (bytes[i] == '\n') {
          line.write(bytes, 0, i);
          return line.toString(StandardCharsets.UTF_8);
        }
      }
      line.write(bytes, 0, n);
      position += n;
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  static byte[] readAt(FileChannel channel, long offset, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    long position = offset;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position);
      if (n < 0) {
        break;
      }
      position += n;
    }
    return Arrays.copyOf(buffer.array(), buffer.position());
  }

  private static int indexOf(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
