package org.llenergymeasure.campaign.activities.gpu.verify;

import org.llenergymeasure.campaign.workflows.FailureTypes;

/**
 * A probe printed something we cannot read, so nothing about the run's GPUs is proven. It is a
 * {@code ProbeFailed}, not a routing mismatch: the probe, not the routing, is in doubt.
 */
public class ProbeOutputException extends RuntimeException {

  public ProbeOutputException(String message) {
    super(message);
  }

  /** Always {@link FailureTypes#PROBE_FAILED}. */
  public String type() {
    return FailureTypes.PROBE_FAILED;
  }

  static ProbeOutputException atLine(String what, int number, String line, String problem) {
    return new ProbeOutputException(
        what + " line " + number + ": " + problem + ": \"" + line + "\"");
  }
}
