package org.llenergymeasure.campaign.worker.bench;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.activities.GpuCare;
import org.llenergymeasure.campaign.activities.HostGpuCareActivities;
import org.llenergymeasure.campaign.activities.HostRunActivities;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.RunBackendByAttach;
import org.llenergymeasure.campaign.activities.gpu.inventory.FileInventorySource;
import org.llenergymeasure.campaign.activities.gpu.lease.GpuLeaseStore;
import org.llenergymeasure.campaign.activities.gpu.telemetry.NoGpuTelemetry;
import org.llenergymeasure.campaign.activities.ledger.ResultCollector;
import org.llenergymeasure.campaign.activities.measurement.RunSampler;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.worker.host.HostActivities;
import org.llenergymeasure.campaign.worker.host.WorkerHost;
import org.llenergymeasure.campaign.workflows.LlemDataConverter;
import org.llenergymeasure.campaign.workflows.TaskQueues;
import org.llenergymeasure.campaign.workflows.campaign.CampaignInput;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflow;

/**
 * BENCHMARK ONLY (bench/scale): one campaign of RUNS runs (10 experiments × RUNS/10 cycles) whose
 * containers complete at once ({@link InstantRunBackendForBenchmark}), on a running dev server.
 * Prints wall time, events per history (max, median, over every campaign execution and child run),
 * the number of continue-as-new, and the progress query's latency at the end. The heap peak comes
 * from the JVM's GC log (bench/scale reads it).
 *
 * <p>The progress query is timed twice: while the campaign runs (sampled every second; the figure
 * reported is over the samples taken during the last 10 % of its runs, when its history is
 * longest), which is answered from the worker's cached workflow; and after it completed, which
 * makes the worker replay the final history (the CLI's {@code status} reads a completed campaign's
 * result instead, so that path is timed too).
 *
 * <p>Usage: ScaleBenchmark ADDRESS RUNS WORKDIR INVENTORY [CONCURRENCY]: with CONCURRENCY &gt; 1
 * the experiments ask for {@code gpus: none}, so that many runs are in flight at once.
 */
public final class ScaleBenchmark {

  private static final String HOST = "bench";

  public static void main(String[] args) throws Exception {
    String address = args[0];
    int runs = Integer.parseInt(args[1]);
    Path work = Path.of(args[2]);
    Path inventory = Path.of(args[3]);
    int concurrency = args.length > 4 ? Integer.parseInt(args[4]) : 1;
    int experiments = 10;
    String name = "bench-scale-" + System.currentTimeMillis();
    StringBuilder yaml = new StringBuilder();
    yaml.append("campaign: ").append(name).append('\n');
    yaml.append("defaults: {image: 'instant:1', timeout: 10m}\nexperiments:\n");
    for (int i = 0; i < experiments; i++) {
      String gpus = concurrency > 1 ? "none" : "[" + (i % 4) + "]";
      yaml.append("  - {name: e").append(i).append(", gpus: ").append(gpus).append("}\n");
    }
    yaml.append("execution: {cycles: ").append(runs / experiments);
    yaml.append(", concurrency: ").append(concurrency).append("}\n");
    LoadedCampaign loaded = CampaignLoader.parse(yaml.toString(), name + ".yaml");

    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    WorkflowClient client =
        WorkflowClient.newInstance(
            service,
            WorkflowClientOptions.newBuilder()
                .setDataConverter(LlemDataConverter.create())
                .build());
    HostSettings settings =
        new HostSettings(HOST, work.resolve("results"), inventory, Map.of(), null);
    InstantRunBackendForBenchmark containers = new InstantRunBackendForBenchmark();
    GpuCare care = GpuCare.withoutHygiene(settings, new FileInventorySource(inventory, HOST));
    HostActivities activities =
        new HostActivities(
            new HostRunActivities(
                settings,
                new FileInventorySource(inventory, HOST),
                new GpuLeaseStore(work.resolve("leases.json"), HOST, Clock.systemUTC()),
                RunBackendByAttach.only(containers),
                new ResultCollector(containers, new NoGpuTelemetry("no GPU telemetry here")),
                care,
                new RunSampler(
                    new NoGpuTelemetry("no GPU telemetry here"),
                    Duration.ofSeconds(1),
                    Clock.systemUTC())),
            new HostGpuCareActivities(settings, care));
    try (WorkerHost worker = new WorkerHost(client, HOST, activities, concurrency).start()) {
      CampaignWorkflow campaign =
          client.newWorkflowStub(
              CampaignWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(CampaignWorkflow.workflowId(name))
                  .setTaskQueue(TaskQueues.CAMPAIGNS)
                  .build());
      long t0 = System.nanoTime();
      var first =
          WorkflowClient.start(
              campaign::run,
              new CampaignInput(
                  loaded.campaign(), loaded.plan().hash(), List.of(HOST), null, null));
      QuerySampler sampler = new QuerySampler(campaign, runs);
      Thread samplerThread = new Thread(sampler, "query-sampler");
      samplerThread.setDaemon(true);
      samplerThread.start();
      CampaignProgress end = WorkflowStub.fromTyped(campaign).getResult(CampaignProgress.class);
      double wallS = (System.nanoTime() - t0) / 1e9;
      sampler.stop();
      samplerThread.join(5000);
      List<Long> statusMs = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        long q0 = System.nanoTime();
        client.newUntypedWorkflowStub(first.getWorkflowId()).getResult(CampaignProgress.class);
        statusMs.add((System.nanoTime() - q0) / 1_000_000);
      }
      Collections.sort(statusMs);
      List<Long> queryMs = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        long q0 = System.nanoTime();
        campaign.progress();
        queryMs.add((System.nanoTime() - q0) / 1_000_000);
      }
      Collections.sort(queryMs);

      List<Integer> sizes = new ArrayList<>();
      int continueAsNew = 0;
      int campaignMax = 0;
      String runId = first.getRunId();
      while (runId != null) {
        WorkflowExecutionHistory h = client.fetchHistory(first.getWorkflowId(), runId);
        sizes.add(h.getEvents().size());
        campaignMax = Math.max(campaignMax, h.getEvents().size());
        String next = null;
        for (HistoryEvent e : h.getEvents()) {
          if (e.getEventType() == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED) {
            var child = e.getChildWorkflowExecutionStartedEventAttributes().getWorkflowExecution();
            sizes.add(
                client.fetchHistory(child.getWorkflowId(), child.getRunId()).getEvents().size());
          }
          if (e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW) {
            next = e.getWorkflowExecutionContinuedAsNewEventAttributes().getNewExecutionRunId();
            continueAsNew++;
          }
        }
        runId = next;
      }
      Collections.sort(sizes);
      System.out.printf(
          "scale: runs=%d state=%s completed=%d failed=%d wall_s=%.1f runs_per_s=%.1f%n",
          runs, end.state(), end.completed(), end.failed(), wallS, runs / wallS);
      System.out.printf(
          "scale: histories=%d events_max=%d events_median=%d campaign_history_max=%d continue_as_new=%d%n",
          sizes.size(),
          sizes.get(sizes.size() - 1),
          sizes.get(sizes.size() / 2),
          campaignMax,
          continueAsNew);
      List<Long> late = sampler.lateSamples();
      if (!late.isEmpty()) {
        System.out.printf(
            "scale: progress_query_running_last10pct_ms n=%d min=%d median=%d max=%d (all samples while running: n=%d median=%d)%n",
            late.size(),
            late.get(0),
            late.get(late.size() / 2),
            late.get(late.size() - 1),
            sampler.allSamples().size(),
            sampler.allSamples().get(sampler.allSamples().size() / 2));
      }
      System.out.printf(
          "scale: progress_query_after_completion_ms (replays the final history) min=%d median=%d max=%d%n",
          queryMs.get(0), queryMs.get(queryMs.size() / 2), queryMs.get(queryMs.size() - 1));
      System.out.printf(
          "scale: completed_result_read_ms (what `status` reads for a completed campaign) min=%d median=%d max=%d%n",
          statusMs.get(0), statusMs.get(statusMs.size() / 2), statusMs.get(statusMs.size() - 1));
      if (end.completed() != runs) {
        System.err.println("scale: FAIL: " + end.completed() + " of " + runs + " runs completed");
        System.exit(1);
      }
    }
    service.shutdown();
    System.exit(0);
  }

  /** Times the progress query once a second while the campaign runs. */
  private static final class QuerySampler implements Runnable {
    private final CampaignWorkflow campaign;
    private final int runs;
    private final List<Long> all = new ArrayList<>();
    private final List<Long> late = new ArrayList<>();
    private volatile boolean stopped;

    QuerySampler(CampaignWorkflow campaign, int runs) {
      this.campaign = campaign;
      this.runs = runs;
    }

    void stop() {
      stopped = true;
    }

    @Override
    public void run() {
      while (!stopped) {
        try {
          Thread.sleep(1000);
          long q0 = System.nanoTime();
          CampaignProgress p = campaign.progress();
          long ms = (System.nanoTime() - q0) / 1_000_000;
          if (stopped || p == null) {
            return;
          }
          synchronized (this) {
            all.add(ms);
            if (p.completed() + p.failed() >= runs * 0.9) {
              late.add(ms);
            }
          }
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException notYet) {
          // before the first workflow task, or racing the end: no sample
        }
      }
    }

    synchronized List<Long> allSamples() {
      List<Long> s = new ArrayList<>(all);
      Collections.sort(s);
      return s;
    }

    synchronized List<Long> lateSamples() {
      List<Long> s = new ArrayList<>(late);
      Collections.sort(s);
      return s;
    }
  }
}
