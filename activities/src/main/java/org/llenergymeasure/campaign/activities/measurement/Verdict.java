package org.llenergymeasure.campaign.activities.measurement;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.llenergymeasure.campaign.config.Measurement;

/**
 * What the validity rules found of one attempt: each fired code with its explanation, and the modes
 * that decide what it means.
 *
 * @param findings each code that fired and is not {@code off}, in the table's order, with what it
 *     saw
 * @param failing the codes among them in {@code fail} mode
 * @param notes as in {@link Validity#notes}
 */
public record Verdict(Map<String, String> findings, List<String> failing, List<String> notes) {

  public Verdict {
    findings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(findings));
    failing = List.copyOf(failing);
    notes = List.copyOf(notes);
  }

  /** The verdict of {@code found} (code to explanation, any order) under {@code policy}. */
  static Verdict of(Map<String, String> found, Measurement policy) {
    Map<String, String> kept = new LinkedHashMap<>();
    List<String> failing = new java.util.ArrayList<>();
    for (String code : Measurement.CODES) {
      String mode = policy.mode(code);
      if (found.containsKey(code) && !Measurement.OFF.equals(mode)) {
        kept.put(code, found.get(code));
        if (Measurement.FAIL.equals(mode)) {
          failing.add(code);
        }
      }
    }
    return new Verdict(kept, failing, List.of());
  }

  /** The ledger line's {@code validity}. */
  public Validity validity() {
    return new Validity(failing.isEmpty(), List.copyOf(findings.keySet()), notes);
  }

  /**
   * The {@code InvalidMeasurement} message: the failing codes, then what each saw, e.g. {@code
   * BELOW_IDLE, THERMAL_THROTTLE: mean power ...; the GPUs throttled ...}; empty when valid.
   */
  public Optional<String> failure() {
    return explanations().map(e -> String.join(", ", failing) + ": " + e);
  }

  /** What the failing codes saw, joined, without the codes; empty when valid. */
  public Optional<String> explanations() {
    if (failing.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(String.join("; ", failing.stream().map(findings::get).toList()));
  }
}
