package org.llenergymeasure.campaign.worker.host;

import io.temporal.client.WorkflowClient;
import io.temporal.worker.WorkerFactory;
import java.util.concurrent.TimeUnit;
import org.llenergymeasure.campaign.plugin.LlemCampaignPlugin;

/**
 * A worker factory of its own with {@link LlemCampaignPlugin} in it: the shared workflow queue
 * ({@code llem-campaigns}) and this host's activity queue ({@code llem-host-<hostId>}), whose steps
 * get heartbeats, the transition log and the test-only step delay from {@link HostStepInterceptor}.
 * The CLI's {@code worker} and {@code run} use it; a team's own worker adds the plugin instead.
 */
public final class WorkerHost implements AutoCloseable {

  private final WorkerFactory factory;
  private final LlemCampaignPlugin plugin;

  /**
   * @throws IllegalArgumentException when the worker's {@code LLEM_TEST_STEP_DELAY_MS} is set and
   *     not a number
   */
  public WorkerHost(
      WorkflowClient client, String hostId, HostActivities activities, int maxConcurrentRuns) {
    this(client, hostId, activities, maxConcurrentRuns, RegistryCache.of(client));
  }

  /**
   * @param directory the registered hosts, which runs placed from the registry ({@code hosts: any},
   *     selectors) are placed on
   */
  public WorkerHost(
      WorkflowClient client,
      String hostId,
      HostActivities activities,
      int maxConcurrentRuns,
      HostDirectory directory) {
    this(
        client, LlemCampaignPlugin.forActivities(hostId, activities, maxConcurrentRuns, directory));
  }

  /** A factory on {@code client} with {@code plugin}; {@link #close} closes the plugin too. */
  public WorkerHost(WorkflowClient client, LlemCampaignPlugin plugin) {
    this.plugin = plugin;
    this.factory = plugin.newWorkerFactory(client);
  }

  public String hostId() {
    return plugin.hostId();
  }

  public WorkerHost start() {
    factory.start();
    return this;
  }

  /** Graceful: running activities finish or notice; containers keep running for the next worker. */
  @Override
  public void close() {
    factory.shutdown();
    factory.awaitTermination(10, TimeUnit.SECONDS);
    if (!factory.isTerminated()) {
      factory.shutdownNow();
      factory.awaitTermination(5, TimeUnit.SECONDS);
    }
    plugin.close();
  }
}
