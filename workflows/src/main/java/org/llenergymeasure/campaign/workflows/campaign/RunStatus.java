package org.llenergymeasure.campaign.workflows.campaign;

import java.util.Locale;

/**
 * Where one planned run stands, as the campaign sees it. Each status has a one-letter code: the
 * campaign state keeps one letter per planned run, so a 10,000-run campaign carries 10 kB across
 * continue-as-new, not a list of objects.
 */
public enum RunStatus {
  PENDING('P'),
  RUNNING('R'),
  COMPLETED('C'),
  FAILED('F'),
  SKIPPED('S'),
  CANCELED('X');

  private final char code;

  RunStatus(char code) {
    this.code = code;
  }

  public char code() {
    return code;
  }

  public static RunStatus of(char code) {
    for (RunStatus s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown run status code '" + code + "'");
  }

  /** A run in a final status is never started again (except a failed one, by retryFailed). */
  public boolean isFinal() {
    return this == COMPLETED || this == FAILED || this == SKIPPED || this == CANCELED;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
