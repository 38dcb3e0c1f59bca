package org.llenergymeasure.campaign.worker;

/** This build's llem-campaign version: {@code --version} prints it, workers register with it. */
public final class WorkerVersion {

  public static final String VERSION = "0.1.0";

  private WorkerVersion() {}
}
