package org.llenergymeasure.campaign.worker.bench;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.ledger.RunLedger;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.worker.campaign.CampaignStarter;
import org.llenergymeasure.campaign.worker.host.HostRegistryClient;
import org.llenergymeasure.campaign.worker.host.InstantPoolHost;
import org.llenergymeasure.campaign.worker.host.RegistryCache;
import org.llenergymeasure.campaign.workflows.LlemDataConverter;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflow;
import org.llenergymeasure.campaign.workflows.registry.HostRegistryWorkflow;

/**
 * BENCHMARK ONLY (bench/pool): placement from the host registry over a pool of HOSTS simulated
 * hosts of 8 GPUs each (even hosts eight "NVIDIA H100 80GB HBM3", odd ones eight "NVIDIA
 * A100-SXM4-80GB", each with its own inventory folder and GPU UUIDs), all in this JVM: each host
 * has its own worker, host activities, lease file and registry reporter, as {@code worker} starts
 * them, with runs that complete at once ({@link InstantRunBackendForBenchmark}). One campaign with
 * {@code hosts: any} and 20 experiments asking {@code gpus: {count: 1..8, model: glob}} runs RUNS
 * runs at concurrency CONCURRENCY on a running dev server.
 *
 * <p>Prints runs, wall time, runs/s and its ratio to the 20 runs/s target, runs per host (min,
 * max), the placement waits and refusals read from the runs' histories, the registry's history
 * (events in its current run, continue-as-new made, reports received) and the largest run history.
 *
 * <p>Usage: PoolBenchmark ADDRESS RUNS HOSTS CONCURRENCY WORKDIR [MAX_WAIT_S]: past MAX_WAIT_S
 * (default 3600) the figures are over the runs finished by then, and it exits 1.
 */
public final class PoolBenchmark {

  static final double TARGET_RUNS_PER_S = 20.0;
  static final String[] MODELS = {"NVIDIA H100 80GB HBM3", "NVIDIA A100-SXM4-80GB"};

  public static void main(String[] args) throws Exception {
    String address = args[0];
    int asked = Integer.parseInt(args[1]);
    int hostCount = Integer.parseInt(args[2]);
    int concurrency = Integer.parseInt(args[3]);
    Path work = Path.of(args[4]);
    long maxWaitS = args.length > 5 ? Long.parseLong(args[5]) : 3600;
    String name = "bench-pool-" + System.currentTimeMillis();
    List<String> experiments = experiments();
    int cycles = Math.max(1, (asked + experiments.size() - 1) / experiments.size());
    int runs = cycles * experiments.size();
    StringBuilder yaml = new StringBuilder();
    yaml.append("campaign: ").append(name).append("\nhosts: any\n");
    yaml.append("defaults: {image: 'instant:1', timeout: 10m}\nexperiments:\n");
    experiments.forEach(e -> yaml.append("  - ").append(e).append('\n'));
    yaml.append("execution: {cycles: ").append(cycles);
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
    Path results = work.resolve("results");
    InstantRunBackendForBenchmark backend = new InstantRunBackendForBenchmark();
    List<InstantPoolHost> pool = new ArrayList<>();
    long s0 = System.nanoTime();
    for (int h = 0; h < hostCount; h++) {
      String id = hostId(h);
      Path inventory = writeInventory(work.resolve("inventories").resolve(id), MODELS[h % 2]);
      pool.add(
          InstantPoolHost.start(
              client, id, inventory, work.resolve("home-" + id), results, backend, 16));
    }
    HostRegistryClient registry = new HostRegistryClient(client);
    while (registry.hosts().size() < hostCount) {
      Thread.sleep(200);
    }
    System.out.printf(
        "pool: hosts=%d gpus=%d registered_in_s=%.1f%n",
        hostCount, hostCount * 8, (System.nanoTime() - s0) / 1e9);

    long t0 = System.nanoTime();
    String id = new CampaignStarter(client).startOrAttach(loaded, List.of(hostId(0))).workflowId();
    CampaignProgress end;
    try {
      end =
          client
              .newUntypedWorkflowStub(id)
              .getResult(maxWaitS, TimeUnit.SECONDS, CampaignProgress.class);
    } catch (TimeoutException e) {
      // Stopped at the time limit: the figures are over the runs finished by then.
      end = client.newWorkflowStub(CampaignWorkflow.class, id).progress();
      System.out.printf("pool: STOPPED at the %d s limit before the campaign ended%n", maxWaitS);
    }
    double wallS = (System.nanoTime() - t0) / 1e9;
    pool.forEach(InstantPoolHost::close);

    Map<String, Integer> perHost = new TreeMap<>();
    for (int h = 0; h < hostCount; h++) {
      perHost.put(hostId(h), 0);
    }
    for (LedgerEntry e : RunLedger.of(results, name).read()) {
      if ("completed".equals(e.status())) {
        perHost.merge(e.host(), 1, Integer::sum);
      }
    }
    RunHistories runsSeen = RunHistories.of(client, id);
    RegistryHistory reg = RegistryHistory.of(client);
    long finished = end.completed() + end.failed();
    double rate = finished / wallS;
    System.out.printf(
        "pool: runs=%d state=%s finished=%d completed=%d failed=%d wall_s=%.1f runs_per_s=%.1f"
            + " target_ratio=%.2f (target %.0f runs/s)%n",
        runs,
        end.state(),
        finished,
        end.completed(),
        end.failed(),
        wallS,
        rate,
        rate / TARGET_RUNS_PER_S,
        TARGET_RUNS_PER_S);
    System.out.printf(
        "pool: runs_per_host min=%d max=%d (hosts with none: %d)%n",
        perHost.values().stream().mapToInt(Integer::intValue).min().orElse(0),
        perHost.values().stream().mapToInt(Integer::intValue).max().orElse(0),
        perHost.values().stream().filter(n -> n == 0).count());
    System.out.printf(
        "pool: placement_reads=%d placement_waits=%d (runs that waited: %d, waited_s total=%.0f)"
            + " refusals=%d run_histories=%d run_events_max=%d%n",
        runsSeen.placements,
        runsSeen.waits,
        runsSeen.runsThatWaited,
        runsSeen.waitedS,
        runsSeen.refusals,
        runsSeen.histories,
        runsSeen.eventsMax);
    System.out.printf(
        "pool: registry_events_current_run=%d registry_continue_as_new=%d registry_updates=%d"
            + " registry_queries_by_workers=%d%n",
        reg.currentEvents, reg.continueAsNew, reg.updates, RegistryCache.of(client).reads());
    service.shutdown();
    if (end.completed() != runs) {
      System.err.println("pool: FAIL: " + end.completed() + " of " + runs + " runs completed");
      System.exit(1);
    }
    System.exit(0);
  }

  static String hostId(int h) {
    return String.format("pool-h%02d", h);
  }

  /** 20 experiments: 1..8 GPUs of each model, and 1, 2, 4, 8 GPUs of any NVIDIA model. */
  static List<String> experiments() {
    List<String> e = new ArrayList<>();
    String[] globs = {"*H100*", "*A100*"};
    for (String glob : globs) {
      for (int n = 1; n <= 8; n++) {
        e.add(
            "{name: "
                + glob.replace("*", "").toLowerCase(java.util.Locale.ROOT)
                + "-x"
                + n
                + ", gpus: {count: "
                + n
                + ", model: '"
                + glob
                + "'}}");
      }
    }
    for (int n : new int[] {1, 2, 4, 8}) {
      e.add("{name: any-x" + n + ", gpus: {count: " + n + ", model: 'NVIDIA *'}}");
    }
    return e;
  }

  /** An 8-GPU inventory folder (as examples/inventories/ holds) with fresh UUIDs. */
  static Path writeInventory(Path dir, String model) throws IOException {
    Files.createDirectories(dir);
    StringBuilder csv = new StringBuilder();
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      String uuid = "GPU-" + UUID.randomUUID();
      csv.append(i)
          .append(", ")
          .append(uuid)
          .append(String.format(", 00000000:%02X:00.0, ", 0x18 + i * 0x10))
          .append(model)
          .append(", 81559 MiB, Disabled\n");
      list.append("GPU ")
          .append(i)
          .append(": ")
          .append(model)
          .append(" (UUID: ")
          .append(uuid)
          .append(")\n");
    }
    Files.writeString(dir.resolve("query-gpu.csv"), csv);
    Files.writeString(dir.resolve("nvidia-smi-L.txt"), list);
    Files.writeString(dir.resolve("compute-apps.csv"), "");
    return dir;
  }

  /** The campaign's child runs, over every execution of the campaign workflow. */
  static final class RunHistories {
    int histories;
    int eventsMax;
    int placements;
    int waits;
    int runsThatWaited;
    int refusals;
    double waitedS;

    static RunHistories of(WorkflowClient client, String campaignId) {
      RunHistories r = new RunHistories();
      for (List<HistoryEvent> execution : chain(client, campaignId)) {
        for (HistoryEvent e : execution) {
          if (e.getEventType() == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED) {
            var child = e.getChildWorkflowExecutionStartedEventAttributes().getWorkflowExecution();
            r.add(client.fetchHistory(child.getWorkflowId(), child.getRunId()).getEvents());
          }
        }
      }
      return r;
    }

    private void add(List<HistoryEvent> events) {
      histories++;
      eventsMax = Math.max(eventsMax, events.size());
      int timers = 0;
      for (HistoryEvent e : events) {
        switch (e.getEventType()) {
          case EVENT_TYPE_MARKER_RECORDED -> {
            // The placement reads (local activity markers), not the version markers.
            if ("LocalActivity".equals(e.getMarkerRecordedEventAttributes().getMarkerName())) {
              placements++;
            }
          }
          case EVENT_TYPE_TIMER_STARTED -> {
            timers++;
            waitedS += e.getTimerStartedEventAttributes().getStartToFireTimeout().getSeconds();
          }
          case EVENT_TYPE_ACTIVITY_TASK_FAILED -> refusals++;
          default -> {}
        }
      }
      waits += timers;
      if (timers > 0) {
        runsThatWaited++;
      }
    }
  }

  /** The host registry's chain of executions: the current one's size, how many came before. */
  static final class RegistryHistory {
    int currentEvents;
    int continueAsNew;
    int updates;

    static RegistryHistory of(WorkflowClient client) {
      RegistryHistory r = new RegistryHistory();
      List<List<HistoryEvent>> chain = chain(client, HostRegistryWorkflow.WORKFLOW_ID);
      r.currentEvents = chain.get(0).size();
      r.continueAsNew = chain.size() - 1;
      for (List<HistoryEvent> events : chain) {
        r.updates +=
            (int)
                events.stream()
                    .filter(
                        e ->
                            e.getEventType()
                                == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)
                    .count();
      }
      return r;
    }
  }

  /** Every execution of a workflow id, the latest first (walked back through continue-as-new). */
  static List<List<HistoryEvent>> chain(WorkflowClient client, String workflowId) {
    List<List<HistoryEvent>> chain = new ArrayList<>();
    List<HistoryEvent> events = client.fetchHistory(workflowId).getEvents();
    while (true) {
      chain.add(events);
      String previous =
          events.get(0).getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
      if (previous.isEmpty()) {
        return chain;
      }
      events = client.fetchHistory(workflowId, previous).getEvents();
    }
  }
}
