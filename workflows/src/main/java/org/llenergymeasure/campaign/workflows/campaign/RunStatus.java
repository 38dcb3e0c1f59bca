package org.llenergymeasure.campaign.workflows.campaign;

/** Where one planned run stands, as the campaign sees it. */
public enum RunStatus {
  PENDING,
  RUNNING,
  COMPLETED,
  FAILED,
  SKIPPED,
  CANCELED;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
