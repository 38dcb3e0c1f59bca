package org.llenergymeasure.campaign.workflows.campaign;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.llenergymeasure.campaign.workflows.run.RunRouted;

/**
 * The runs in flight, in the order they started, and which of them a {@code skip} is canceling (so
 * their canceled outcome counts as skipped).
 */
final class InFlightRuns {

  private final Map<String, InFlight> byRunId = new LinkedHashMap<>();
  private final Set<String> skipping = new LinkedHashSet<>();

  void add(InFlight f) {
    byRunId.put(f.run.runId(), f);
  }

  void remove(InFlight f) {
    byRunId.remove(f.run.runId());
  }

  boolean isEmpty() {
    return byRunId.isEmpty();
  }

  int size() {
    return byRunId.size();
  }

  Collection<InFlight> all() {
    return byRunId.values();
  }

  /** The running runs for the progress query: those cooling down are done running. */
  List<RunningRun> running() {
    List<RunningRun> out = new ArrayList<>();
    for (InFlight f : byRunId.values()) {
      if (!f.coolingDown) {
        out.add(f.running());
      }
    }
    return out;
  }

  /** A routed attempt; false for a run no longer in flight or an earlier attempt. */
  boolean routed(RunRouted routed) {
    InFlight f = byRunId.get(routed.runId());
    return f != null && f.routed(routed);
  }

  /** Cancels a running run on behalf of {@code skip}. */
  void skip(String runId) {
    skipping.add(runId);
    byRunId.get(runId).scope.cancel();
  }

  boolean isBeingSkipped(String runId) {
    return skipping.contains(runId);
  }

  /** Whether {@code skip} canceled this run, forgetting it. */
  boolean takeSkip(String runId) {
    return skipping.remove(runId);
  }

  /** failFast: every other run is canceled. */
  void cancelAllBut(InFlight kept) {
    for (InFlight other : byRunId.values()) {
      if (other != kept) {
        other.scope.cancel();
      }
    }
  }
}
