package org.llenergymeasure.campaign.activities.container;

/** The outcome of one command run inside a container: exit code and what it printed. */
public record ExecResult(int exitCode, String stdout, String stderr) {

  /** stdout then stderr, as a person would have seen them in a terminal (roughly). */
  public String combined() {
    if (stderr.isEmpty()) {
      return stdout;
    }
    if (stdout.isEmpty()) {
      return stderr;
    }
    return stdout + (stdout.endsWith("\n") ? "" : "\n") + stderr;
  }
}
