package org.llenergymeasure.campaign.workflows;

/** The task queues of cli-contract.md: workflows on one shared queue, host work per GPU host. */
public final class TaskQueues {

  /** Every CampaignWorkflow and ExperimentWorkflow runs here. */
  public static final String CAMPAIGNS = "llem-campaigns";

  private TaskQueues() {}

  /** The queue of one GPU host's activities: {@code llem-host-<hostId>}. */
  public static String host(String hostId) {
    return "llem-host-" + hostId;
  }
}
