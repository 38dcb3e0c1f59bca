package org.llenergymeasure.campaign.workflows;

/** The task queues of cli-contract.md: workflows on one shared queue, host work per GPU host. */
public final class TaskQueues {

  /** Every CampaignWorkflow and ExperimentWorkflow runs here. */
  public static final String CAMPAIGNS = "llem-campaigns";

  private static final String HOST_PREFIX = "llem-host-";

  private TaskQueues() {}

  /** The queue of one GPU host's activities: {@code llem-host-<hostId>}. */
  public static String host(String hostId) {
    return HOST_PREFIX + hostId;
  }

  /** The host id of a host's queue ({@link #host}), or null when it is another queue. */
  public static String hostIdOf(String taskQueue) {
    return taskQueue != null
            && taskQueue.startsWith(HOST_PREFIX)
            && taskQueue.length() > HOST_PREFIX.length()
        ? taskQueue.substring(HOST_PREFIX.length())
        : null;
  }
}
