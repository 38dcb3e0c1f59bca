package org.llenergymeasure.campaign.workflows.campaign;

/**
 * Memo keys of a campaign workflow: display data the Web UI and {@code list} read without a worker.
 * The client sets the first two at start; the workflow carries them across continue-as-new (memo is
 * not carried by itself) and keeps {@link #PROGRESS} current.
 */
public final class CampaignMemo {

  /** The plan hash (String): a different file under the same name is refused against it. */
  public static final String PLAN_HASH = "planHash";

  /** Experiment name to a short hash of its merged definition (Map): what changed, by name. */
  public static final String EXPERIMENT_HASHES = "experimentHashes";

  /**
   * {state, reason, planned, completed, failed, skipped, pending} (Map), updated on transitions.
   */
  public static final String PROGRESS = "progress";

  private CampaignMemo() {}
}
