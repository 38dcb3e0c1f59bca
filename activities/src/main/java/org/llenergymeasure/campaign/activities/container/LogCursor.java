package org.llenergymeasure.campaign.activities.container;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.llenergymeasure.campaign.activities.WorkerShutdownException;

/**
 * Follows a container's log by polling, without re-reading it whole each time: each read asks the
 * engine for entries since the second of the last one seen (with timestamps) and keeps only those
 * after it. Counts output bytes and remembers the last non-empty line.
 */
final class LogCursor {

  private static final long READ_LIMIT_SECONDS = 60;

  private final DockerEngine engine;
  private final String container;
  private final Secrets secrets;
  private Instant after;
  private long bytes;
  private String lastLine;
  private Instant lastOutputAt;

  /**
   * @param after entries at or before this instant were already counted
   * @param bytes bytes already counted (by an earlier try)
   */
  LogCursor(
      DockerEngine engine,
      String container,
      Secrets secrets,
      Instant after,
      long bytes,
      String lastLine) {
    this.engine = engine;
    this.container = container;
    this.secrets = secrets;
    this.after = after;
    this.bytes = bytes;
    this.lastLine = lastLine;
  }

  /** Reads what was logged since the last read. */
  void poll() {
    long sinceSecond = after == null ? 0 : after.getEpochSecond();
    Collector collector = new Collector();
    engine
        .client()
        .logContainerCmd(container)
        .withStdOut(true)
        .withStdErr(true)
        .withTimestamps(true)
        .withFollowStream(false)
        .withSince((int) sinceSecond)
        .exec(collector);
    try {
      if (!collector.awaitCompletion(READ_LIMIT_SECONDS, TimeUnit.SECONDS)) {
        collector.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerShutdownException("interrupted while reading the log of " + container, e);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    for (Entry entry : collector.entries()) {
      if (after != null && !entry.at().isAfter(after)) {
        continue;
      }
      after = entry.at();
      lastOutputAt = entry.at();
      bytes += entry.payload().length;
      String text = new String(entry.payload(), StandardCharsets.UTF_8).strip();
      if (!text.isEmpty()) {
        int nl = text.lastIndexOf('\n');
        lastLine = secrets.redact(nl >= 0 ? text.substring(nl + 1) : text);
      }
    }
  }

  long bytes() {
    return bytes;
  }

  String lastLine() {
    return lastLine;
  }

  /** When the newest entry read by this cursor was logged; null when it read none yet. */
  Instant lastOutputAt() {
    return lastOutputAt;
  }

  @SuppressWarnings("ArrayRecordComponent") // private; carries one frame's bytes, never compared
  private record Entry(Instant at, byte[] payload) {}

  /** Splits each frame into its engine timestamp and the bytes the run wrote. */
  private static final class Collector extends ResultCallback.Adapter<Frame> {
    private final List<Entry> entries = new ArrayList<>();

    @Override
    public void onNext(Frame frame) {
      byte[] raw = frame.getPayload();
      int space = -1;
      for (int i = 0; i < Math.min(raw.length, 64); i++) {
        if (raw[i] == ' ') {
          space = i;
          break;
        }
      }
      if (space <= 0) {
        return;
      }
      try {
        Instant at = Instant.parse(new String(raw, 0, space, StandardCharsets.US_ASCII));
        byte[] payload = java.util.Arrays.copyOfRange(raw, space + 1, raw.length);
        synchronized (this) {
          entries.add(new Entry(at, payload));
        }
      } catch (DateTimeParseException e) {
        // Not a timestamped entry; nothing to count it by.
      }
    }

    synchronized List<Entry> entries() {
      return List.copyOf(entries);
    }
  }
}
