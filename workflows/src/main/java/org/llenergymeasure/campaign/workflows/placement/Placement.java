package org.llenergymeasure.campaign.workflows.placement;

import java.util.List;

/**
 * Where a run may go now, as the placement rule answers: exactly one of the three is given.
 *
 * @param candidates hosts to route on, best first; empty when none fits now
 * @param waitFor when none fits now: what the run waits for, one sentence
 * @param never when no registered host could ever fit the run, even with all its GPUs free: why,
 *     naming the run
 */
public record Placement(List<String> candidates, String waitFor, String never) {

  public Placement {
    candidates = candidates == null ? List.of() : List.copyOf(candidates);
  }

  public static Placement on(List<String> candidates) {
    return new Placement(candidates, null, null);
  }

  public static Placement waiting(String waitFor) {
    return new Placement(List.of(), waitFor, null);
  }

  public static Placement neverFits(String why) {
    return new Placement(List.of(), null, why);
  }
}
