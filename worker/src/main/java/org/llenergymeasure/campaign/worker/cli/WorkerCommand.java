package org.llenergymeasure.campaign.worker.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.llenergymeasure.campaign.plugin.LlemCampaignPlugin;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.worker.LlemHome;
import org.llenergymeasure.campaign.worker.host.HostRuntime;
import org.llenergymeasure.campaign.worker.host.WorkerHost;
import org.llenergymeasure.campaign.worker.metrics.MetricsEndpoint;
import org.llenergymeasure.campaign.worker.server.ServerSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Run a long-lived worker for this GPU host: campaign workflows plus this host's run activities"
          + " (task queue llem-host-<host-id>). Registers this host with the server's host"
          + " registry (see `hosts`, `drain`). Stops gracefully on SIGTERM/SIGINT; running"
          + " containers keep running and the next worker re-attaches to them."
    },
    footer = {
      "",
      "Examples:",
      "  llem-campaign worker --host-id gpu-node-1 --temporal 10.0.0.5:7233",
      "  llem-campaign worker --inventory examples/inventories/h100x4 --host-id sim-a",
      "  llem-campaign worker --host-id gpu-node-1 --metrics-port 9464",
      "",
      "Each run transition (routed, launched, verified, exited, collected, cleaned up, failed) is"
          + " logged to LLEM_HOME/logs/llem-campaign.log (rotated daily and at 50 MB)."
    })
final class WorkerCommand implements Callable<Integer> {

  @Option(
      names = "--host-id",
      paramLabel = "ID",
      description = "This GPU host's id (default: the short host name).")
  String hostId;

  @Option(
      names = "--max-runs",
      paramLabel = "N",
      description = "Runs this host may execute at once (default 4).")
  int maxRuns = 4;

  @Mixin CommonOptions common;

  @Mixin MetricsOptions metrics;

  @Override
  public Integer call() throws Exception {
    Console console = Console.system();
    String host = HostIds.resolve(hostId);
    HostRuntime runtime =
        HostRuntime.open(
            host, common.resultsDir(), common.inventoryDir(), LlemHome.fromEnvironment());
    MetricsEndpoint endpoint = metrics.start(console);
    ServerSession session =
        ServerSession.connectOnly(common.temporalSettings(), MetricsOptions.tuning(endpoint));
    // The same plugin a team adds to its own worker: it clears what a crashed worker left, runs
    // the workflows and this host's activities, registers the host (obeying drain) and keeps
    // house every 10 minutes (docs/plugin.md).
    WorkerHost worker =
        new WorkerHost(
                session.connection().client(), LlemCampaignPlugin.forRuntime(runtime, maxRuns))
            .start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  console.note(
                      "worker "
                          + host
                          + ": stopping (containers keep running; a new worker re-attaches)");
                  worker.close();
                  session.close();
                  runtime.close();
                  if (endpoint != null) {
                    endpoint.close();
                  }
                  stopped.countDown();
                }));
    console.note(
        "worker "
            + host
            + " started on "
            + session.connection().address()
            + " (queues llem-campaigns, llem-host-"
            + host
            + ")"
            + (runtime.simulated() ? " with SIMULATED GPUs from " + common.inventoryDir() : ""));
    stopped.await();
    return ExitCodes.OK;
  }
}
