package org.llenergymeasure.campaign.activities.container;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeUnit;
import org.llenergymeasure.campaign.activities.WorkerShutdownException;
import org.llenergymeasure.campaign.activities.progress.ProgressEvents;

/**
 * Follows a container's log on the engine's own streaming thread, so that reading it never holds up
 * the awaiting thread (nor its heartbeats) however much the run prints: each entry is counted and
 * dropped as it arrives, nothing of the log is kept but its last line (at most {@link #LINE_KEEP}
 * characters, secrets masked across entries) and the step of its newest progress event line. The
 * stream asks for entries since the second of the last one seen (with timestamps) and skips those
 * at or before it, so a follow that is restarted (the stream broke, or a new try re-attached after
 * a crash) counts no entry twice.
 */
final class LogCursor implements Closeable {

  /** The most characters of the current line kept for {@link #lastLine()}. */
  static final int LINE_KEEP = 1024;

  private final DockerEngine engine;
  private final String container;
  private final Secrets secrets;
  private Instant after;
  private long bytes;
  private String lastLine;
  private String step;
  private Instant lastOutputAt;
  private Follower follower;
  private final StringBuilder current = new StringBuilder();

  /**
   * @param after entries at or before this instant were already counted
   * @param bytes bytes already counted (by an earlier try)
   * @param step the newest progress step an earlier try saw, or null
   */
  LogCursor(
      DockerEngine engine,
      String container,
      Secrets secrets,
      Instant after,
      long bytes,
      String lastLine,
      String step) {
    this.engine = engine;
    this.container = container;
    this.secrets = secrets;
    this.after = after;
    this.bytes = bytes;
    this.lastLine = lastLine;
    this.step = step;
  }

  /** Starts following the log, or again when the last follow ended; returns at once. */
  synchronized void follow() {
    if (follower != null && !follower.ended) {
      return;
    }
    long sinceSecond = after == null ? 0 : after.getEpochSecond();
    follower = new Follower(new SecretMasker(secrets));
    engine
        .client()
        .logContainerCmd(container)
        .withStdOut(true)
        .withStdErr(true)
        .withTimestamps(true)
        .withFollowStream(true)
        .withSince((int) sinceSecond)
        .exec(follower);
  }

  /**
   * Waits (at most {@code seconds}) for the follow to reach the end of the log of a container that
   * has stopped; returns whether it did.
   */
  boolean drain(long seconds) {
    Follower f;
    synchronized (this) {
      f = follower;
    }
    if (f == null) {
      return true;
    }
    try {
      return f.awaitCompletion(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerShutdownException("interrupted while reading the log of " + container, e);
    }
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized String lastLine() {
    return lastLine;
  }

  /** The step text of the newest progress event line ({@link ProgressEvents}), or null. */
  synchronized String step() {
    return step;
  }

  /** When the newest entry read by this cursor was logged; null when it read none yet. */
  synchronized Instant lastOutputAt() {
    return lastOutputAt;
  }

  @Override
  public void close() {
    Follower f;
    synchronized (this) {
      f = follower;
      follower = null;
    }
    if (f != null) {
      try {
        f.close();
      } catch (IOException | RuntimeException ignored) {
        // closing an HTTP stream that may have ended already
      }
    }
  }

  /** Called on the engine's thread for each entry of the followed log. */
  private synchronized void entry(Instant at, byte[] raw, int from, SecretMasker masker) {
    if (after != null && !at.isAfter(after)) {
      return;
    }
    after = at;
    lastOutputAt = at;
    bytes += raw.length - from;
    String text = masker.write(raw, from, raw.length - from);
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch == '\n') {
        endLine();
      } else if (current.length() < LINE_KEEP) {
        current.append(ch);
      }
    }
    String open = current.toString().strip();
    if (!open.isEmpty()) {
      lastLine = open;
    }
  }

  private void endLine() {
    String text = current.toString().strip();
    if (!text.isEmpty()) {
      lastLine = text;
      // Only whole lines can be events: one cut at LINE_KEEP is not valid JSON.
      ProgressEvents.stepText(text, secrets).ifPresent(s -> step = s);
    }
    current.setLength(0);
  }

  /** Splits each frame into its engine timestamp and the bytes the run wrote. */
  private final class Follower extends ResultCallback.Adapter<Frame> {
    private final SecretMasker masker;
    private volatile boolean ended;

    Follower(SecretMasker masker) {
      this.masker = masker;
    }

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
      Instant at;
      try {
        at = Instant.parse(new String(raw, 0, space, StandardCharsets.US_ASCII));
      } catch (DateTimeParseException e) {
        return; // Not a timestamped entry; nothing to count it by.
      }
      entry(at, raw, space + 1, masker);
    }

    @Override
    public void onComplete() {
      ended = true;
      super.onComplete();
    }

    @Override
    public void onError(Throwable throwable) {
      ended = true;
      super.onError(throwable);
    }
  }
}
