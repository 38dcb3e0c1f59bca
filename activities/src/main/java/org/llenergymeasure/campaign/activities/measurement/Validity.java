package org.llenergymeasure.campaign.activities.measurement;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The validity verdict of one attempt's measurement (the {@code validity} of a ledger line).
 *
 * @param valid false exactly when a code in {@code fail} mode fired (the attempt is then recorded
 *     as {@code InvalidMeasurement})
 * @param reasons every code that fired in {@code fail} or {@code warn} mode, in the documented
 *     table's order
 * @param notes why nothing was judged: {@link #NO_HOST_MEASUREMENT} when the host cannot read the
 *     run's GPUs (no NVML, a CPU run); empty otherwise
 */
@JsonPropertyOrder({"valid", "reasons", "notes"})
public record Validity(boolean valid, List<String> reasons, List<String> notes) {

  public static final String NO_HOST_MEASUREMENT = "NO_HOST_MEASUREMENT";

  /** The verdict of a host that measured nothing it could judge. */
  public static final Validity UNMEASURED =
      new Validity(true, List.of(), List.of(NO_HOST_MEASUREMENT));

  public Validity {
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
    notes = notes == null ? List.of() : List.copyOf(notes);
  }
}
