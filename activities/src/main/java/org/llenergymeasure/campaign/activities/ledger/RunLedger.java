package org.llenergymeasure.campaign.activities.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A campaign's ledger, {@code <resultsRoot>/<campaign>/ledger.jsonl}: one JSON line per finished
 * run attempt, keyed by run id + attempt.
 *
 * <p>Appends are idempotent (a key already present is not written again: a collect retried after a
 * crash records nothing twice) and crash-safe: the check and the write happen under a lock (a file
 * lock against other processes, a lock per file against other threads of this JVM, which the file
 * lock cannot exclude), each line goes out in one write on an append-only channel and is forced to
 * disk before {@link #append} returns. A crash in the middle of a write can still leave a partial
 * last line; readers ignore it and the next append repairs it.
 */
public final class RunLedger {

  public static final String FILE = "ledger.jsonl";

  private static final Logger log = LoggerFactory.getLogger(RunLedger.class);
  private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  /** One index per ledger file in this JVM, used under that file's lock. */
  private static final Map<Path, LedgerIndex> INDEXES = new ConcurrentHashMap<>();

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  public RunLedger(Path file) {
    this.file = file.toAbsolutePath().normalize();
  }

  /** The ledger of one campaign under a results root. */
  public static RunLedger of(Path resultsRoot, String campaign) {
    return new RunLedger(resultsRoot.resolve(campaign).resolve(FILE));
  }

  public Path file() {
    return file;
  }

  /**
   * Appends the entry unless its key is already in the ledger.
   *
   * @return true when written, false when the key was already there
   */
  public boolean append(LedgerEntry entry) {
    byte[] line = toLine(entry);
    ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(file, f -> new ReentrantLock());
    jvmLock.lock();
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel channel =
              FileChannel.open(
                  file,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.READ,
                  StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        LedgerIndex index = index();
        long size = index.refresh(channel);
        long end = repairTail(channel, index, size);
        if (index.offsetOf(entry.key()) != null) {
          return false;
        }
        // After repairTail the file ends at a line boundary. The line goes out in one write on
        // an O_APPEND channel, so even a writer that ignored the lock could not split it.
        try (FileChannel append =
            FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
          ByteBuffer buffer = ByteBuffer.wrap(line);
          while (buffer.hasRemaining()) {
            append.write(buffer);
          }
          append.force(true);
        }
        index.appended(entry.key(), end, line.length);
        return true;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to the ledger " + file, e);
    } finally {
      jvmLock.unlock();
    }
  }

  private LedgerIndex index() {
    return INDEXES.computeIfAbsent(file, LedgerIndex::new);
  }

  /** Every complete entry, in the order written. */
  public List<LedgerEntry> read() {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      byte[] bytes = Files.readAllBytes(file);
      return parse(bytes, lastNewline(bytes) + 1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the ledger " + file, e);
    }
  }

  /** The entry of the highest attempt of each run, in the order the runs first appear. */
  public Map<String, LedgerEntry> latestPerRun() {
    Map<String, LedgerEntry> latest = new LinkedHashMap<>();
    for (LedgerEntry e : read()) {
      latest.merge(e.runId(), e, (a, b) -> b.attempt() >= a.attempt() ? b : a);
    }
    return latest;
  }

  /**
   * The entry of one run attempt, if recorded. Reads only that line and what was appended since.
   */
  public java.util.Optional<LedgerEntry> find(String runId, int attempt) {
    if (!Files.exists(file)) {
      return java.util.Optional.empty();
    }
    ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(file, f -> new ReentrantLock());
    jvmLock.lock();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      LedgerIndex index = index();
      index.refresh(channel);
      Long offset = index.offsetOf(runId + "#" + attempt);
      if (offset == null) {
        return java.util.Optional.empty();
      }
      LedgerEntry e = parseLine(LedgerIndex.lineAt(channel, offset));
      return e != null && e.runId().equals(runId) && e.attempt() == attempt
          ? java.util.Optional.of(e)
          : java.util.Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the ledger " + file, e);
    } finally {
      jvmLock.unlock();
    }
  }

  /**
   * Ends the file at a line boundary. A trailing fragment that is a whole entry missing only its
   * newline is kept (the newline is added); anything else is a write cut short by a crash and is
   * cut off: the attempt it belonged to never finished collect, whose retry will append it again.
   *
   * @return the length of the complete lines
   */
  private long repairTail(FileChannel channel, LedgerIndex index, long size) throws IOException {
    long complete = index.indexedTo();
    if (complete == size) {
      return complete;
    }
    String fragment =
        new String(
            LedgerIndex.readAt(channel, complete, (int) (size - complete)), StandardCharsets.UTF_8);
    LedgerEntry whole = parseLine(fragment);
    if (whole != null) {
      channel.write(ByteBuffer.wrap(new byte[] {'\n'}), size);
      index.appended(whole.key(), complete, size + 1 - complete);
      log.warn("ledger {}: added the missing newline after its last entry", file);
      return size + 1;
    }
    channel.truncate(complete);
    log.warn(
        "ledger {}: removed a partial last line left by a crash ({} bytes)", file, size - complete);
    return complete;
  }

  private List<LedgerEntry> parse(byte[] bytes, int length) {
    List<LedgerEntry> entries = new ArrayList<>();
    String text = new String(bytes, 0, Math.min(length, bytes.length), StandardCharsets.UTF_8);
    int lineNo = 0;
    for (String line : text.split("\n", -1)) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      LedgerEntry e = parseLine(line);
      if (e == null) {
        log.warn("ledger {}: line {} is not a ledger entry; ignored", file, lineNo);
      } else {
        entries.add(e);
      }
    }
    return entries;
  }

  static LedgerEntry parseLine(String line) {
    try {
      LedgerEntry e = JSON.readValue(line, LedgerEntry.class);
      return e.runId() == null ? null : e;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static byte[] toLine(LedgerEntry entry) {
    try {
      // Jackson escapes newlines inside strings, so one entry is always one line.
      return (JSON.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("ledger entry cannot be written as JSON", e);
    }
  }

  private static int lastNewline(byte[] bytes) {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
