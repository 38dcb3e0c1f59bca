package org.llenergymeasure.campaign.config;

/**
 * One experiment in one cycle, at its position in execution order.
 *
 * @param runId {@code <experiment>.c<cycle>}
 * @param cycle counts from 1
 * @param index 0-based position in execution order
 */
public record PlannedRun(String runId, String experiment, int cycle, int index) {

  public static String runId(String experiment, int cycle) {
    return experiment + ".c" + cycle;
  }
}
