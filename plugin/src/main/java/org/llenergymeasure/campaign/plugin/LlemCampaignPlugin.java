package org.llenergymeasure.campaign.plugin;

import io.temporal.client.WorkflowClient;
import io.temporal.common.SimplePlugin;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.llenergymeasure.campaign.worker.LlemHome;
import org.llenergymeasure.campaign.worker.host.HostActivities;
import org.llenergymeasure.campaign.worker.host.HostDirectory;
import org.llenergymeasure.campaign.worker.host.HostReporter;
import org.llenergymeasure.campaign.worker.host.HostRuntime;
import org.llenergymeasure.campaign.worker.host.HostStepInterceptor;
import org.llenergymeasure.campaign.worker.host.HostWiring;

/**
 * llem-campaign on a worker of your own: add it to your {@code WorkflowClientOptions} (or your
 * {@code WorkerFactoryOptions}) and your worker factory also runs the campaign workflows on {@code
 * llem-campaigns} and this GPU host's run activities on {@code llem-host-<hostId>}.
 *
 * <pre>{@code
 * LlemCampaignPlugin llem = LlemCampaignPlugin.builder("gpu-node-1")
 *     .results(Path.of("/srv/llem/results"))
 *     .build();
 * WorkflowClient client = WorkflowClient.newInstance(service,
 *     WorkflowClientOptions.newBuilder().setPlugins(llem).build());   // your converter stays
 * WorkerFactory factory = WorkerFactory.newInstance(client);
 * factory.newWorker("my-queue").registerWorkflowImplementationTypes(MyWorkflowImpl.class);
 * factory.start();      // also starts llem-campaigns and llem-host-gpu-node-1
 * ...
 * factory.shutdown(); factory.awaitTermination(...); llem.close();
 * }</pre>
 *
 * <p>What it adds, and only that (docs/plugin.md): a worker for each of its two queues (unless you
 * created one; then it registers on yours), those workers' identity and activity slots, and one
 * worker interceptor appended after yours that acts only on this project's host activity types on
 * this host's queue. It never touches the data converter, payload codec, context propagators,
 * client interceptors, your interceptors or your own queues' workers. When the factory starts it
 * clears what a crashed worker left on this host and registers the host with the host registry;
 * when it shuts down it stops reporting.
 *
 * <p>This is the only class of llem-campaign that uses Temporal's plugin API, which the SDK marks
 * experimental.
 */
public final class LlemCampaignPlugin extends SimplePlugin implements AutoCloseable {

  /** The plugin's name (Temporal's duplicate detection and logs). */
  public static final String NAME = "org.llenergymeasure.campaign";

  /** How often a started worker clears containers and leases of runs that ended without it. */
  public static final Duration HOUSEKEEPING_EVERY = Duration.ofMinutes(10);

  private final HostWiring wiring;
  private final HostRuntime runtime;
  private final boolean ownsRuntime;
  private final boolean registerHost;
  private final Duration housekeepingEvery;
  private HostReporter reporter;
  private ScheduledExecutorService housekeeping;

  private LlemCampaignPlugin(
      HostWiring wiring,
      HostRuntime runtime,
      boolean ownsRuntime,
      boolean registerHost,
      Duration housekeepingEvery) {
    super(NAME);
    this.wiring = wiring;
    this.runtime = runtime;
    this.ownsRuntime = ownsRuntime;
    this.registerHost = registerHost;
    this.housekeepingEvery = housekeepingEvery;
  }

  /** A builder for GPU host {@code hostId} (its queue is {@code llem-host-<hostId>}). */
  public static Builder builder(String hostId) {
    return new Builder(hostId);
  }

  /**
   * Internal (the llem-campaign CLI): the plugin of a host runtime the caller opened and closes.
   */
  public static LlemCampaignPlugin forRuntime(HostRuntime runtime, int maxConcurrentRuns) {
    return new LlemCampaignPlugin(
        wiring(
            runtime.hostId(),
            runtime.activities(),
            maxConcurrentRuns,
            null,
            HostStepInterceptor.forEnvironment(System.getenv())),
        runtime,
        false,
        true,
        HOUSEKEEPING_EVERY);
  }

  /**
   * Internal (WorkerHost, tests, benchmarks): the plugin of ready-made host activities, with no
   * host runtime: it neither registers the host nor keeps house.
   *
   * @throws IllegalArgumentException when {@code LLEM_TEST_STEP_DELAY_MS} is set and not a number
   */
  public static LlemCampaignPlugin forActivities(
      String hostId, HostActivities activities, int maxConcurrentRuns, HostDirectory directory) {
    return new LlemCampaignPlugin(
        wiring(
            hostId,
            activities,
            maxConcurrentRuns,
            directory,
            HostStepInterceptor.forEnvironment(System.getenv())),
        null,
        false,
        false,
        null);
  }

  private static HostWiring wiring(
      String hostId,
      HostActivities activities,
      int maxConcurrentRuns,
      HostDirectory directory,
      HostStepInterceptor steps) {
    return new HostWiring(
        hostId,
        activities,
        maxConcurrentRuns,
        directory,
        steps,
        List.of(new CampaignPreparationImpl(hostId)));
  }

  public String hostId() {
    return wiring.hostId();
  }

  /** The queues this plugin serves: {@code llem-campaigns} and {@code llem-host-<hostId>}. */
  public List<String> taskQueues() {
    return wiring.taskQueues();
  }

  /**
   * A worker factory on {@code client} with this plugin (for a client that does not carry it
   * already; one that does gives it to every factory by itself).
   */
  public WorkerFactory newWorkerFactory(WorkflowClient client) {
    return WorkerFactory.newInstance(
        client, WorkerFactoryOptions.newBuilder().setPlugins(this).build());
  }

  /** Ours goes after the interceptors already there: yours stay first in the chain. */
  @Override
  public void configureWorkerFactory(WorkerFactoryOptions.Builder builder) {
    WorkerInterceptor[] existing = builder.build().getWorkerInterceptors();
    List<WorkerInterceptor> chain =
        new ArrayList<>(existing == null ? List.of() : Arrays.asList(existing));
    chain.add(wiring.interceptor());
    builder.setWorkerInterceptors(chain.toArray(new WorkerInterceptor[0]));
  }

  @Override
  public void configureWorker(String taskQueue, WorkerOptions.Builder builder) {
    wiring.configureWorker(taskQueue, builder);
  }

  @Override
  public void initializeWorker(String taskQueue, Worker worker) {
    wiring.initializeWorker(taskQueue, worker);
  }

  @Override
  public void startWorkerFactory(WorkerFactory factory, Consumer<WorkerFactory> next) {
    WorkflowClient client = factory.getWorkflowClient();
    wiring.bind(client);
    for (String queue : wiring.taskQueues()) {
      if (factory.tryGetWorker(queue) == null) {
        // initializeWorker registers ours on it
        factory.newWorker(queue);
      }
    }
    if (runtime != null) {
      // Leases and containers a crashed worker left, before any of our tasks runs.
      runtime.housekeeping(client);
    }
    next.accept(factory);
    synchronized (this) {
      if (runtime != null && registerHost && reporter == null) {
        // Registers the host (inventory, leases, quarantine), keeps it current; obeys drain.
        reporter = runtime.reportTo(client);
      }
      if (runtime != null && housekeepingEvery != null && housekeeping == null) {
        housekeeping = scheduleHousekeeping(client);
      }
    }
  }

  @Override
  public void shutdownWorkerFactory(WorkerFactory factory, Consumer<WorkerFactory> next) {
    stopReporting();
    next.accept(factory);
  }

  /**
   * A long-lived worker outlives its campaigns: what their ends leave behind (containers of runs
   * whose workflows closed while this worker was away) is cleared periodically. {@link
   * HostRuntime#housekeeping} logs its own failures and never throws, which would end the schedule.
   */
  private ScheduledExecutorService scheduleHousekeeping(WorkflowClient client) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "llem-housekeeping");
              t.setDaemon(true);
              return t;
            });
    long every = housekeepingEvery.toMillis();
    ScheduledFuture<?> unused =
        timer.scheduleWithFixedDelay(
            () -> runtime.housekeeping(client), every, every, TimeUnit.MILLISECONDS);
    return timer;
  }

  private synchronized void stopReporting() {
    if (housekeeping != null) {
      housekeeping.shutdownNow();
      housekeeping = null;
    }
    if (reporter != null) {
      // A drained host with nothing leased leaves the registry here.
      reporter.close();
      reporter = null;
    }
  }

  /**
   * After the factory has terminated: stops reporting and the interceptor's heartbeat thread, and
   * closes the host runtime (Docker client, NVML) when the builder opened it.
   */
  @Override
  public void close() {
    stopReporting();
    wiring.close();
    if (ownsRuntime) {
      runtime.close();
    }
  }

  /** Settings of a {@link LlemCampaignPlugin}; {@link #build()} opens the host runtime. */
  public static final class Builder {

    private final String hostId;
    private Path results = Path.of("results");
    private Path inventoryFolder;
    private String dockerHost;
    private boolean nvml = true;
    private boolean metrics = true;
    private int maxConcurrentRuns = 4;
    private Path home;
    private boolean registerHost = true;
    private Duration housekeepingEvery = HOUSEKEEPING_EVERY;

    private Builder(String hostId) {
      this.hostId = Objects.requireNonNull(hostId, "hostId");
      if (hostId.isBlank()) {
        throw new IllegalArgumentException("hostId is blank");
      }
    }

    /** Where each run's folder and each campaign's ledger go (default {@code ./results}). */
    public Builder results(Path results) {
      this.results = Objects.requireNonNull(results);
      return this;
    }

    /**
     * The GPU inventory: a captured folder ({@code query-gpu.csv}, {@code nvidia-smi-L.txt}; see
     * examples/inventories/) makes this a simulated host; null (default) reads {@code nvidia-smi}.
     */
    public Builder inventoryFolder(Path folder) {
      this.inventoryFolder = folder;
      return this;
    }

    /**
     * The Docker engine, e.g. {@code unix:///var/run/docker.sock}; null (default): {@code
     * DOCKER_HOST}, else the local socket.
     */
    public Builder dockerHost(String dockerHost) {
      this.dockerHost = dockerHost;
      return this;
    }

    /** The host's own NVML energy and temperature readings (default on; off on simulated GPUs). */
    public Builder nvml(boolean on) {
      this.nvml = on;
      return this;
    }

    /**
     * Counts each host step's outcome as {@code llem_host_step} (tags {@code step}, {@code
     * outcome}) in the SDK metrics scope of your service stubs (default on).
     */
    public Builder metrics(boolean on) {
      this.metrics = on;
      return this;
    }

    /** Runs this host may execute at once; sizes the host queue's activity slots (default 4). */
    public Builder maxConcurrentRuns(int runs) {
      if (runs < 1) {
        throw new IllegalArgumentException("maxConcurrentRuns must be at least 1");
      }
      this.maxConcurrentRuns = runs;
      return this;
    }

    /** The host's state folder: GPU leases, quarantine (default {@code LLEM_HOME}). */
    public Builder home(Path home) {
      this.home = home;
      return this;
    }

    /** Register this host with the host registry when the factory starts (default on). */
    public Builder registerHost(boolean on) {
      this.registerHost = on;
      return this;
    }

    /** How often leftovers of ended runs are cleared; null: only at start (default 10 min). */
    public Builder housekeepingEvery(Duration every) {
      this.housekeepingEvery = every;
      return this;
    }

    /**
     * Opens the host runtime: reads the inventory, creates the results folder, reaches Docker.
     *
     * @throws org.llenergymeasure.campaign.worker.BadInput a setting is wrong (an inventory folder
     *     that is not one, a results folder that cannot be created)
     * @throws org.llenergymeasure.campaign.worker.EnvironmentProblem no Docker engine, no GPUs
     */
    public LlemCampaignPlugin build() {
      HostRuntime runtime =
          HostRuntime.open(
              hostId,
              results,
              inventoryFolder,
              home != null ? new LlemHome(home.toAbsolutePath()) : LlemHome.fromEnvironment(),
              new HostRuntime.Options(
                  true, HostRuntime.Options.defaults().process(), dockerHost, nvml));
      return new LlemCampaignPlugin(
          wiring(
              hostId,
              runtime.activities(),
              maxConcurrentRuns,
              null,
              HostStepInterceptor.forEnvironment(System.getenv(), metrics)),
          runtime,
          true,
          registerHost,
          housekeepingEvery);
    }
  }
}
