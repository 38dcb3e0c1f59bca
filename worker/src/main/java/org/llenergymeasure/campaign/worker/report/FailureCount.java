package org.llenergymeasure.campaign.worker.report;

import java.util.List;

/**
 * One failure type: how many attempts failed with it, how many runs ended with it (their last
 * attempt), which runs, and one message as an example.
 */
public record FailureCount(
    String type, int attempts, int runs, List<String> runIds, String example) {

  public FailureCount {
    runIds = List.copyOf(runIds);
  }
}
