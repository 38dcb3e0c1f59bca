package org.llenergymeasure.campaign.activities.measurement;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.llenergymeasure.campaign.activities.gpu.telemetry.GpuSample;

/**
 * One reading of a run's GPUs, taken together: a line of the attempt's {@code gpu-samples.jsonl}.
 *
 * @param phase {@code start} (await began, also after a worker restart), {@code during}, {@code
 *     end} (await returned or threw), or {@code idle} (at routing, before the run started)
 * @param gpus one sample per GPU that answered; a GPU whose reading failed is missing
 * @param monoMillis the host's monotonic clock (milliseconds since boot) at {@code atMillis}, to
 *     tell a wall clock step from elapsed time; null when not recorded (rounds written before it, a
 *     test's virtual clock)
 */
@JsonPropertyOrder({"atMillis", "phase", "gpus", "monoMillis"})
public record SampleRound(
    long atMillis,
    String phase,
    List<GpuSample> gpus,
    @JsonInclude(JsonInclude.Include.NON_NULL) Long monoMillis) {

  public static final String START = "start";
  public static final String DURING = "during";
  public static final String END = "end";
  public static final String IDLE = "idle";

  public SampleRound {
    gpus = gpus == null ? List.of() : List.copyOf(gpus);
  }

  /** A round without a monotonic time. */
  public SampleRound(long atMillis, String phase, List<GpuSample> gpus) {
    this(atMillis, phase, gpus, null);
  }
}
