package org.llenergymeasure.campaign.worker.host;

import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.llenergymeasure.campaign.workflows.TaskQueues;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflowImpl;
import org.llenergymeasure.campaign.workflows.plan.PlanActivitiesImpl;
import org.llenergymeasure.campaign.workflows.registry.HostRecord;
import org.llenergymeasure.campaign.workflows.registry.HostRegistryWorkflowImpl;
import org.llenergymeasure.campaign.workflows.run.ExperimentWorkflowImpl;
import org.llenergymeasure.campaign.workflows.schedule.ScheduledCampaignWorkflowImpl;

/**
 * What one GPU host's worker registers and how its two workers are configured: the shared workflow
 * queue ({@code llem-campaigns}: the campaign, run and host-registry workflows, the plan and
 * placement local activities and {@code extraCampaignActivities}) and this host's activity queue
 * ({@code llem-host-<hostId>}: the host steps, with {@link HostStepInterceptor} acting on them).
 * Only those two queues are touched; any other worker of the same factory is left as it is.
 * Internal: the plugin ({@code LlemCampaignPlugin}) and {@link WorkerHost} use it.
 */
public final class HostWiring implements AutoCloseable {

  /** How often at most a step's heartbeat details reach the server. */
  static final Duration HEARTBEAT_DETAILS_EVERY = Duration.ofSeconds(5);

  private final String hostId;
  private final HostActivities activities;
  private final int maxConcurrentRuns;
  private final HostStepInterceptor steps;
  private final List<Object> extraCampaignActivities;
  private final AtomicReference<HostDirectory> directory = new AtomicReference<>();

  /**
   * @param directory the registered hosts placement reads; null: the registry on the client of the
   *     factory this wiring is started with ({@link #bind})
   * @param extraCampaignActivities regular activities registered on {@code llem-campaigns}
   */
  public HostWiring(
      String hostId,
      HostActivities activities,
      int maxConcurrentRuns,
      HostDirectory directory,
      HostStepInterceptor steps,
      List<Object> extraCampaignActivities) {
    this.hostId = hostId;
    this.activities = activities;
    this.maxConcurrentRuns = maxConcurrentRuns;
    this.steps = steps;
    this.extraCampaignActivities = List.copyOf(extraCampaignActivities);
    this.directory.set(directory);
  }

  public String hostId() {
    return hostId;
  }

  /** The queues this wiring owns: {@code llem-campaigns} and {@code llem-host-<hostId>}. */
  public List<String> taskQueues() {
    return List.of(TaskQueues.CAMPAIGNS, TaskQueues.host(hostId));
  }

  public HostStepInterceptor interceptor() {
    return steps;
  }

  /**
   * Reads the host registry through {@code client}'s one view per process ({@link RegistryCache})
   * unless a directory was given.
   */
  public void bind(WorkflowClient client) {
    directory.compareAndSet(null, RegistryCache.of(client));
  }

  /** Our settings for our two queues; any other queue's options are not touched. */
  public void configureWorker(String taskQueue, WorkerOptions.Builder options) {
    if (TaskQueues.CAMPAIGNS.equals(taskQueue)) {
      options.setIdentity("llem@" + hostId + "/workflows");
    } else if (TaskQueues.host(hostId).equals(taskQueue)) {
      options
          .setIdentity("llem@" + hostId)
          // Each run holds at most one long await; the rest are short steps.
          .setMaxConcurrentActivityExecutionSize(Math.max(4, maxConcurrentRuns * 2 + 2))
          // The SDK sends heartbeat details at most every 0.8 x the heartbeat timeout (16 s for
          // await): a run's last log line and step, which status and run read from them, would
          // lag that much. One send per 5 s at most keeps them fresh.
          .setMaxHeartbeatThrottleInterval(HEARTBEAT_DETAILS_EVERY);
    }
  }

  /** Registers our workflows and activities on our two queues' workers; others are skipped. */
  public void initializeWorker(String taskQueue, Worker worker) {
    if (TaskQueues.CAMPAIGNS.equals(taskQueue)) {
      // The host registry runs here too: on whichever worker of the pool is up.
      worker.registerWorkflowImplementationTypes(
          CampaignWorkflowImpl.class, ExperimentWorkflowImpl.class, HostRegistryWorkflowImpl.class);
      // A schedule's firings (`schedule create`) start on the same queue.
      worker.registerWorkflowImplementationTypes(ScheduledCampaignWorkflowImpl.class);
      // The campaign workflow's plan hash and a run's placement, local activities: they run
      // beside the workflow task.
      List<Object> campaignActivities = new ArrayList<>();
      campaignActivities.add(new PlanActivitiesImpl());
      campaignActivities.add(new PlacementActivitiesImpl(lateDirectory()));
      campaignActivities.addAll(extraCampaignActivities);
      worker.registerActivitiesImplementations(campaignActivities.toArray());
    } else if (TaskQueues.host(hostId).equals(taskQueue)) {
      worker.registerActivitiesImplementations(activities.runs(), activities.care());
    }
  }

  /** Placement reads the directory bound by the time the factory starts (before any task). */
  private HostDirectory lateDirectory() {
    return late(directory);
  }

  /** A directory that is {@code ref}'s by the time it is read: every call, holds included. */
  static HostDirectory late(AtomicReference<HostDirectory> ref) {
    return new HostDirectory() {
      @Override
      public List<HostRecord> hosts() {
        return current().hosts();
      }

      @Override
      public long nowMs() {
        return current().nowMs();
      }

      @Override
      public void hold(String hostId, List<String> uuids) {
        current().hold(hostId, uuids);
      }

      private HostDirectory current() {
        HostDirectory d = ref.get();
        if (d == null) {
          throw new IllegalStateException("the worker factory has not been started");
        }
        return d;
      }
    };
  }

  /** Stops the interceptor's heartbeat thread. */
  @Override
  public void close() {
    steps.close();
  }
}
