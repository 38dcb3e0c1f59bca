package org.llenergymeasure.campaign.worker.host;

import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.llenergymeasure.campaign.workflows.TaskQueues;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflowImpl;
import org.llenergymeasure.campaign.workflows.plan.PlanActivitiesImpl;
import org.llenergymeasure.campaign.workflows.registry.HostRegistryWorkflowImpl;
import org.llenergymeasure.campaign.workflows.run.ExperimentWorkflowImpl;
import org.llenergymeasure.campaign.workflows.schedule.ScheduledCampaignWorkflowImpl;

/**
 * A worker for one GPU host: the shared workflow queue ({@code llem-campaigns}) and this host's
 * activity queue ({@code llem-host-<hostId>}), whose steps get heartbeats, the transition log and
 * the test-only step delay from {@link HostStepInterceptor}.
 */
public final class WorkerHost implements AutoCloseable {

  /** How often at most a step's heartbeat details reach the server. */
  static final Duration HEARTBEAT_DETAILS_EVERY = Duration.ofSeconds(5);

  private final WorkerFactory factory;
  private final String hostId;
  private final HostStepInterceptor steps;

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
    this.hostId = hostId;
    this.steps = HostStepInterceptor.forEnvironment(System.getenv());
    this.factory =
        WorkerFactory.newInstance(
            client, WorkerFactoryOptions.newBuilder().setWorkerInterceptors(steps).build());
    Worker workflows =
        factory.newWorker(
            TaskQueues.CAMPAIGNS,
            WorkerOptions.newBuilder()
                .setIdentity("llem@" + hostId + "/workflows")
                .setLocalActivityWorkerOnly(true)
                .build());
    // The host registry runs here too: on whichever worker of the pool is up.
    workflows.registerWorkflowImplementationTypes(
        CampaignWorkflowImpl.class, ExperimentWorkflowImpl.class, HostRegistryWorkflowImpl.class);
    // A schedule's firings (`schedule create`) start on the same queue.
    workflows.registerWorkflowImplementationTypes(ScheduledCampaignWorkflowImpl.class);
    // The campaign workflow's plan hash and a run's placement, local activities: they run beside
    // the workflow task.
    workflows.registerActivitiesImplementations(
        new PlanActivitiesImpl(), new PlacementActivitiesImpl(directory));
    Worker host =
        factory.newWorker(
            TaskQueues.host(hostId),
            WorkerOptions.newBuilder()
                .setIdentity("llem@" + hostId)
                // Each run holds at most one long await; the rest are short steps.
                .setMaxConcurrentActivityExecutionSize(Math.max(4, maxConcurrentRuns * 2 + 2))
                // The SDK sends heartbeat details at most every 0.8 x the heartbeat timeout (16 s
                // for await): a run's last log line and step, which status and run read from them,
                // would lag that much. One send per 5 s at most keeps them fresh.
                .setMaxHeartbeatThrottleInterval(HEARTBEAT_DETAILS_EVERY)
                .build());
    host.registerActivitiesImplementations(activities.runs(), activities.care());
  }

  public String hostId() {
    return hostId;
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
    steps.close();
  }
}
