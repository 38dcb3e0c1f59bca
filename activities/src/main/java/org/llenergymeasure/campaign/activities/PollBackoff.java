package org.llenergymeasure.campaign.activities;

import java.time.Duration;

/**
 * The pauses between polls of a waiting step: short at first, so a run that ends within a moment of
 * starting is noticed within tens of milliseconds (a fixed 1 s poll added up to a second to every
 * short run), then doubling up to {@code max}, the steady cadence at which a long run is polled and
 * heartbeats. One instance per wait; not thread-safe.
 */
public final class PollBackoff {

  /** The first pause of a wait. */
  public static final Duration DEFAULT_INITIAL = Duration.ofMillis(25);

  private final long maxMillis;
  private long nextMillis;

  public PollBackoff(Duration initial, Duration max) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "poll backoff needs 0 < initial <= max, got initial " + initial + " and max " + max);
    }
    this.maxMillis = max.toMillis();
    this.nextMillis = initial.toMillis();
  }

  /**
   * Starts at {@link #DEFAULT_INITIAL} (or {@code max} when that is shorter) and backs off to
   * {@code max}.
   */
  public static PollBackoff upTo(Duration max) {
    return new PollBackoff(max.compareTo(DEFAULT_INITIAL) < 0 ? max : DEFAULT_INITIAL, max);
  }

  /** The pause before the next poll; each call doubles the following one, capped at max. */
  public long nextPauseMillis() {
    long pause = nextMillis;
    nextMillis = Math.min(maxMillis, nextMillis * 2);
    return pause;
  }
}
