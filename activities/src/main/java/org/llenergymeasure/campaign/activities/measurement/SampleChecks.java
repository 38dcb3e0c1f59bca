package org.llenergymeasure.campaign.activities.measurement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the rounds of readings themselves say about a measurement, beside its energy: the largest
 * gap between two consecutive rounds, the rounds that read a different number of GPUs than the run
 * was routed, and how far the wall clock moved against the monotonic clock. No I/O.
 *
 * @param rounds how many rounds were taken during the await (the idle round is not one)
 * @param maxGapS the largest time between two consecutive rounds, seconds (wall clock); 0 with
 *     fewer than 2 rounds
 * @param routedGpus how many GPUs the run was routed
 * @param mismatchedRounds how many rounds read a different number of GPUs than that
 * @param sampledGpus the number of GPUs read in the first such round (the routed number when none)
 * @param clockStepS the wall clock's time minus the monotonic clock's over the await, summed over
 *     the stretches of consecutive rounds that both recorded a monotonic time; 0 when none did
 */
public record SampleChecks(
    int rounds,
    double maxGapS,
    int routedGpus,
    int mismatchedRounds,
    int sampledGpus,
    double clockStepS) {

  /** Two consecutive rounds further apart than this leave a stretch of the run unread. */
  public static final double MAX_GAP_S = 3.0;

  /** A wall clock that moves this much (plus {@link #CLOCK_DRIFT}) against the monotonic one. */
  public static final double CLOCK_STEP_S = 1.0;

  /**
   * The share of the elapsed time a wall clock may drift from the monotonic one without a step: NTP
   * slews a clock by at most 500 ppm, so 0.1 % is never a slew.
   */
  public static final double CLOCK_DRIFT = 0.001;

  /** The checks of {@code rounds} (in any order; the idle round is left out) of the routed GPUs. */
  public static SampleChecks of(List<String> uuids, List<SampleRound> rounds) {
    List<SampleRound> ordered = new ArrayList<>(rounds);
    ordered.removeIf(r -> SampleRound.IDLE.equals(r.phase()));
    ordered.sort(Comparator.comparingLong(SampleRound::atMillis));
    int routed = uuids.size();
    double maxGap = 0;
    double step = 0;
    int mismatched = 0;
    int sampled = routed;
    for (int i = 0; i < ordered.size(); i++) {
      SampleRound r = ordered.get(i);
      int read = (int) r.gpus().stream().filter(s -> uuids.contains(s.uuid())).count();
      if (read != routed) {
        sampled = mismatched == 0 ? read : sampled;
        mismatched++;
      }
      if (i == 0) {
        continue;
      }
      SampleRound p = ordered.get(i - 1);
      maxGap = Math.max(maxGap, (r.atMillis() - p.atMillis()) / 1000.0);
      // A monotonic time that went backwards is another boot: no comparison across it.
      if (p.monoMillis() != null && r.monoMillis() != null && r.monoMillis() >= p.monoMillis()) {
        step += ((r.atMillis() - p.atMillis()) - (r.monoMillis() - p.monoMillis())) / 1000.0;
      }
    }
    return new SampleChecks(ordered.size(), maxGap, routed, mismatched, sampled, step);
  }

  /** Whether the wall clock stepped during an await of {@code durationS} seconds. */
  public boolean clockStepped(double durationS) {
    return Math.abs(clockStepS) > CLOCK_STEP_S + CLOCK_DRIFT * durationS;
  }
}
