package org.llenergymeasure.campaign.worker;

/** cli-contract.md's exit codes. */
public final class ExitCodes {

  public static final int OK = 0;
  public static final int RUNS_FAILED = 1;
  public static final int BAD_INPUT = 2;
  public static final int ENVIRONMENT = 3;

  private ExitCodes() {}
}
