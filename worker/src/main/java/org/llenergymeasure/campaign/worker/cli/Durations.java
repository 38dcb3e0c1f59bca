package org.llenergymeasure.campaign.worker.cli;

import java.time.Duration;

/** Durations for people: {@code 42s}, {@code 3m 05s}, {@code 2h 10m}, {@code 3d 4h}. */
final class Durations {

  private Durations() {}

  static String human(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format("%dm %02ds", s / 60, s % 60);
    }
    if (s < 86400) {
      return String.format("%dh %02dm", s / 3600, (s % 3600) / 60);
    }
    return String.format("%dd %dh", s / 86400, (s % 86400) / 3600);
  }
}
