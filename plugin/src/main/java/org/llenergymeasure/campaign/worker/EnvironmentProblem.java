package org.llenergymeasure.campaign.worker;

/**
 * Something outside the campaign file is missing or broken (exit code 3): say what and how to fix.
 */
public class EnvironmentProblem extends RuntimeException {

  public EnvironmentProblem(String message) {
    super(message);
  }

  public EnvironmentProblem(String message, Throwable cause) {
    super(message, cause);
  }
}
