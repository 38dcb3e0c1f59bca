package org.llenergymeasure.campaign.activities.measurement;

import static org.llenergymeasure.campaign.activities.measurement.MeasurementValidity.num;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.config.Measurement;

/**
 * The validity rules beside the energy ones: gaps between readings, a run measured too briefly,
 * rounds that read another number of GPUs than routed, a wall clock step, and the run's own
 * measurement warnings. Each adds its code with what it saw.
 */
final class SampleRules {

  /** The result field in which llenergymeasure lists its own measurement warnings. */
  static final String WARNINGS = "measurement_warnings";

  private SampleRules() {}

  static void judge(
      HostMeasurement measured,
      SampleChecks checks,
      JsonNode result,
      Measurement policy,
      Map<String, String> found) {
    if (checks != null && checks.maxGapS() > SampleChecks.MAX_GAP_S) {
      found.put(
          Measurement.SAMPLE_GAP,
          "two consecutive GPU readings were "
              + num(checks.maxGapS())
              + " s apart (more than "
              + num(SampleChecks.MAX_GAP_S)
              + " s): the host did not read the GPUs in between");
    }
    if (measured != null && policy.minDuration() != null) {
      MeasuredWindow w = measured.window();
      boolean windowed = w != null && w.energyJ() != null && w.durationS() != null;
      double duration = windowed ? w.durationS() : measured.durationS();
      double min = policy.minDuration().toMillis() / 1000.0;
      if (duration < min) {
        found.put(
            Measurement.TOO_SHORT,
            "the run was measured over "
                + num(duration)
                + " s"
                + (windowed ? " (its own measurement window)" : " (the whole await)")
                + ", less than measurement.minDuration "
                + num(min)
                + " s");
      }
    }
    if (checks != null && checks.mismatchedRounds() > 0) {
      found.put(
          Measurement.GPU_COUNT_MISMATCH,
          checks.mismatchedRounds()
              + " of "
              + checks.rounds()
              + " rounds of readings read "
              + checks.sampledGpus()
              + " GPU(s) instead of the "
              + checks.routedGpus()
              + " routed to the run");
    }
    if (checks != null && measured != null && checks.clockStepped(measured.durationS())) {
      found.put(
          Measurement.CLOCK_STEP,
          "the wall clock moved "
              + num(checks.clockStepS())
              + " s against the monotonic clock during the run: durations and windows measured on"
              + " the wall clock are off by that much");
    }
    List<String> warnings = warnings(result);
    if (!warnings.isEmpty()) {
      found.put(
          Measurement.UPSTREAM_WARNING,
          "the run reported measurement warnings: " + String.join("; ", warnings));
    }
  }

  /** The result's {@code measurement_warnings}, as text; empty when it has none. */
  static List<String> warnings(JsonNode result) {
    JsonNode n = result == null ? null : result.get(WARNINGS);
    List<String> out = new ArrayList<>();
    if (n != null && n.isArray()) {
      n.forEach(x -> out.add(x.isTextual() ? x.asText() : x.toString()));
    }
    return out;
  }
}
