package org.llenergymeasure.campaign.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an amended campaign file changes in a running campaign, by experiment name: the experiments
 * added, removed and changed (with the keys that changed), in file order. Two experiments are the
 * same when everything that changes what runs is the same (the plan hash's view of an experiment:
 * {@code labels} never count). Pure and deterministic: the campaign workflow computes it too, and
 * {@code amend} prints it.
 *
 * @param added experiments of the new file that the old one does not have, in the new file's order
 * @param removed experiments of the old file that the new one does not have, in the old file's
 *     order
 * @param changed per experiment (in the new file's order), the keys whose values differ
 */
public record PlanDiff(
    List<String> added, List<String> removed, Map<String, List<String>> changed) {

  public PlanDiff {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    changed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(changed));
  }

  /** The experiments added, removed and changed from {@code from} to {@code to}. */
  public static PlanDiff of(Campaign from, Campaign to) {
    // Lookups only, never iterated (iteration order of a HashMap is not deterministic).
    Map<String, Experiment> old = new HashMap<>();
    for (Experiment e : from.experiments()) {
      old.putIfAbsent(e.name(), e);
    }
    Map<String, Experiment> now = new HashMap<>();
    for (Experiment e : to.experiments()) {
      now.putIfAbsent(e.name(), e);
    }
    List<String> added = new ArrayList<>();
    Map<String, List<String>> changed = new LinkedHashMap<>();
    for (Experiment e : to.experiments()) {
      Experiment was = old.get(e.name());
      if (was == null) {
        added.add(e.name());
      } else {
        List<String> keys = changedKeys(was, e);
        if (!keys.isEmpty()) {
          changed.put(e.name(), keys);
        }
      }
    }
    List<String> removed = new ArrayList<>();
    for (Experiment e : from.experiments()) {
      if (!now.containsKey(e.name())) {
        removed.add(e.name());
      }
    }
    return new PlanDiff(added, removed, changed);
  }

  /** The keys (as the plan hash sees an experiment) whose values differ, sorted. */
  public static List<String> changedKeys(Experiment a, Experiment b) {
    Map<String, Object> x = CanonicalJson.experiment(a, false);
    Map<String, Object> y = CanonicalJson.experiment(b, false);
    // Both are sorted maps: iteration is in key order.
    java.util.TreeSet<String> keys = new java.util.TreeSet<>(x.keySet());
    keys.addAll(y.keySet());
    List<String> out = new ArrayList<>();
    for (String k : keys) {
      if (!Objects.equals(x.get(k), y.get(k))) {
        out.add(k);
      }
    }
    return out;
  }

  /** Whether two experiments run the same way (their names aside). */
  public static boolean sameDefinition(Experiment a, Experiment b) {
    return CanonicalJson.experiment(a, false).equals(CanonicalJson.experiment(b, false));
  }

  /** No experiment added, removed or changed. */
  public boolean isEmpty() {
    return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
  }

  /**
   * Why {@code to} cannot replace {@code from} in a running campaign, or null when it can: another
   * campaign name, a changed {@code execution} block (cycles, order, seed, gaps, cooldown,
   * concurrency, failure policy), {@code attach} or {@code hosts}, adaptive cycles, or no
   * experiment left.
   */
  public static String refusal(Campaign from, Campaign to) {
    if (!from.name().equals(to.name())) {
      return "the file is campaign "
          + to.name()
          + ", not "
          + from.name()
          + "; amend changes a campaign to a new version of its own file";
    }
    if (from.execution().adaptive() != null || to.execution().adaptive() != null) {
      return "a campaign with adaptive cycles cannot be amended (its growing plan decides each"
          + " cycle from the experiments it started with); start the new file under a new name";
    }
    if (!CanonicalJson.execution(from.execution())
        .equals(CanonicalJson.execution(to.execution()))) {
      return "the execution block changed (cycles, order, seed, gaps, cooldown, concurrency or"
          + " failure policy); amend changes experiments only (setConcurrency changes the"
          + " concurrency of a running campaign)";
    }
    if (from.attach() != to.attach()) {
      return "attach changed ("
          + from.attach().yamlName()
          + " -> "
          + to.attach().yamlName()
          + "); amend changes experiments only";
    }
    if (!from.hosts().equals(to.hosts())) {
      return "hosts changed; amend changes experiments only";
    }
    if (to.experiments().isEmpty()) {
      return "the new file has no experiment; cancel the campaign instead";
    }
    return null;
  }
}
