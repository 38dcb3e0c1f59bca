package org.llenergymeasure.campaign.worker.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.llenergymeasure.campaign.activities.ledger.RunLedger;
import org.llenergymeasure.campaign.activities.process.CampaignProcesses;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.plugin.LlemCampaignPlugin;
import org.llenergymeasure.campaign.worker.EnvironmentProblem;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.worker.LlemHome;
import org.llenergymeasure.campaign.worker.campaign.CampaignRecord;
import org.llenergymeasure.campaign.worker.campaign.CampaignSize;
import org.llenergymeasure.campaign.worker.campaign.CampaignStarter;
import org.llenergymeasure.campaign.worker.campaign.PlanChanges;
import org.llenergymeasure.campaign.worker.campaign.ProgressFollower;
import org.llenergymeasure.campaign.worker.campaign.RunHeartbeats;
import org.llenergymeasure.campaign.worker.host.HostRuntime;
import org.llenergymeasure.campaign.worker.host.WorkerHost;
import org.llenergymeasure.campaign.worker.metrics.MetricsEndpoint;
import org.llenergymeasure.campaign.worker.server.ServerSession;
import org.llenergymeasure.campaign.worker.server.StateFileHolder;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Validate a campaign file, start it (or attach to it if it is already running) and, unless"
          + " --detach, run a worker for this host in this process and follow the campaign until it"
          + " ends.",
      "Running the same command again after Ctrl-C, a crash or a reboot continues where it was."
    },
    footer = {
      "",
      "Examples:",
      "  llem-campaign run examples/quickstart.yaml --inventory examples/inventories/sim-4gpu-idle",
      "  llem-campaign run campaign.yaml --detach --temporal 10.0.0.5:7233",
      "  llem-campaign run campaign.yaml --metrics-port 9464",
      "",
      "In a terminal it shows a live block (progress bar, running runs with elapsed time and last"
          + " log line, ETA); otherwise one line per event (LLEM_PROGRESS=plain forces lines)."
    })
final class RunCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE", description = "The campaign file (YAML).")
  Path file;

  @Option(
      names = "--detach",
      description =
          "Start or attach, print the workflow id and return; needs a running server and worker.")
  boolean detach;

  @Option(
      names = "--host-id",
      paramLabel = "ID",
      description = "This GPU host's id (default: the short host name).")
  String hostId;

  @Mixin CommonOptions common;

  @Mixin MetricsOptions metrics;

  @Override
  public Integer call() throws Exception {
    Console console = Console.system();
    LoadedCampaign loaded = CampaignLoader.load(file);
    CampaignSize.check(loaded.campaign(), file.toString());
    loaded.warnings().forEach(w -> console.note("warning: " + w));
    String host = HostIds.resolve(hostId);
    List<String> candidateHosts =
        loaded.campaign().hosts().isEmpty() ? List.of(host) : loaded.campaign().hosts();
    if (detach) {
      return detached(console, loaded, candidateHosts);
    }

    // A process-mode campaign needs no Docker engine on this host.
    boolean processOnly = loaded.campaign().attach() == AttachMode.PROCESS;
    HostRuntime runtime =
        HostRuntime.open(
            host,
            common.resultsDir(),
            common.inventoryDir(),
            LlemHome.fromEnvironment(),
            new HostRuntime.Options(!processOnly, HostRuntime.Options.defaults().process()));
    if (runtime.simulated() && processOnly) {
      console.note(
          "*** SIMULATED GPUs: host '"
              + host
              + "' is the captured inventory "
              + common.inventoryDir()
              + "; attach: process runs local processes whose GPU check needs a CUDA view: set "
              + HostRuntime.CUDA_VIEW_VARIABLE
              + " to a simulated one. Nothing is measured. ***");
    } else if (runtime.simulated()) {
      console.note(
          "*** SIMULATED GPUs: host '"
              + host
              + "' is the captured inventory "
              + common.inventoryDir()
              + "; runs use attach mode env and the test image's simulated NVIDIA runtime. Nothing is measured. ***");
    }
    MetricsEndpoint endpoint = metrics.start(console);
    ServerSession session =
        ServerSession.connectOrStart(
            common.temporalSettings(),
            LlemHome.fromEnvironment(),
            console::note,
            MetricsOptions.tuning(endpoint));
    // The in-process worker is the plugin of `worker` too: it keeps house, registers its host
    // and obeys drain.
    WorkerHost worker =
        new WorkerHost(
                session.connection().client(),
                LlemCampaignPlugin.forRuntime(runtime, loaded.campaign().execution().concurrency()))
            .start();
    AtomicBoolean finished = new AtomicBoolean(false);
    Thread onCtrlC =
        new Thread(
            () -> {
              if (!finished.get()) {
                console.note(
                    "\nStopping the local worker. The campaign keeps its state"
                        + (session.durable()
                            ? ""
                            : " only while a server keeps it (in-process server: lost)")
                        + "; run the same command again to continue: llem-campaign run "
                        + file);
              }
              worker.close();
              if (!finished.get() && !session.durable()) {
                stopLeftRuns(console, loaded.campaign().name());
              }
              session.close();
              runtime.close();
              if (endpoint != null) {
                endpoint.close();
              }
            });
    Runtime.getRuntime().addShutdownHook(onCtrlC);

    CampaignStarter.Started started =
        new CampaignStarter(session.connection().client()).startOrAttach(loaded, candidateHosts);
    console.note(
        (started.started()
                ? "Started"
                : started.ended() ? "Found the ended" : "Attached to the running")
            + " campaign "
            + loaded.campaign().name()
            + " ("
            + loaded.plan().runs().size()
            + " runs) on "
            + session.connection().address());
    if (session.webUi() != null) {
      console.note(
          "Web UI: "
              + webUiLink(
                  session.webUi(), common.temporalSettings().namespace(), started.workflowId()));
    }
    if (started.ended()) {
      console.note(
          "This campaign already ended; it is never run again (a new measurement needs a new campaign name).");
    } else {
      recordCampaign(loaded);
    }
    ProgressFollower.Ending ending;
    if (LiveProgressView.interactive()) {
      RunHeartbeats heartbeats = new RunHeartbeats(session.connection().client());
      LiveProgressView view =
          new LiveProgressView(
              System.err, LiveProgressView.terminalWidth(), heartbeats::view, Instant::now);
      ending =
          new ProgressFollower(
                  session.connection().client(),
                  view::event,
                  Duration.ofMillis(500),
                  view::update,
                  ledgerOf(loaded))
              .follow(started.workflowId());
      view.finish();
    } else {
      ending =
          new ProgressFollower(
                  session.connection().client(),
                  console::note,
                  Duration.ofMillis(500),
                  p -> {},
                  ledgerOf(loaded))
              .follow(started.workflowId());
    }
    finished.set(true);
    List<String> reaped =
        runtime.reapOrphans(loaded.campaign().name(), session.connection().client());
    if (!reaped.isEmpty()) {
      console.note(
          "Removed "
              + reaped.size()
              + " leftover container(s) of this campaign: "
              + String.join(", ", reaped));
    }
    printEnding(console, loaded, ending);
    if (session.webUi() != null) {
      console.note(reopenUi(loaded.campaign().name()));
    }
    return ending.exitCode();
  }

  /**
   * On the in-process server a campaign dies with this command, so a process-mode run it leaves
   * running could never be adopted by a next try: stop it, and say which.
   */
  private void stopLeftRuns(Console console, String campaign) {
    try {
      List<String> stopped = CampaignProcesses.stopAll(common.resultsDir(), campaign);
      if (!stopped.isEmpty()) {
        console.note(
            "Stopped the process(es) of "
                + stopped.size()
                + " run(s) in progress, which no later worker could adopt: "
                + String.join(", ", stopped));
      }
    } catch (RuntimeException e) {
      console.note(
          "warning: could not stop the runs in progress of "
              + campaign
              + " under "
              + common.resultsDir()
              + ": "
              + e.getMessage());
    }
  }

  /** This host's ledger of the campaign: where the in-process worker records each attempt. */
  private Path ledgerOf(LoadedCampaign loaded) {
    return RunLedger.of(common.resultsDir(), loaded.campaign().name()).file();
  }

  /** campaign.json next to the ledger, so `report` knows the plan hash without a server. */
  private void recordCampaign(LoadedCampaign loaded) {
    try {
      new CampaignRecord(
              loaded.campaign().name(),
              loaded.plan().hash(),
              file.toAbsolutePath().normalize().toString(),
              Instant.now().toString(),
              PlanChanges.experimentHashes(loaded.campaign()))
          .writeIfAbsent(common.resultsDir());
    } catch (java.io.UncheckedIOException e) {
      // The campaign runs fine without it; its report then says the hash is unknown.
      Console.system()
          .note(
              "warning: " + e.getMessage() + "; the report will not know the campaign file's hash");
    }
  }

  private int detached(Console console, LoadedCampaign loaded, List<String> candidateHosts) {
    ServerSession session;
    try {
      session = ServerSession.connectOnly(common.temporalSettings());
    } catch (EnvironmentProblem e) {
      throw new EnvironmentProblem(
          e.getMessage()
              + ". `run --detach` needs a running server and worker: start them with"
              + " `llem-campaign server` and `llem-campaign worker`");
    }
    try (session) {
      if (loaded.campaign().hosts().isEmpty() && loaded.campaign().hostsSpec() == null) {
        console.note(
            "note: the file has no `hosts:`; its runs go to host '"
                + candidateHosts.get(0)
                + "' (this machine or --host-id): a worker with that --host-id must run them");
      }
      CampaignStarter.Started started =
          new CampaignStarter(session.connection().client()).startOrAttach(loaded, candidateHosts);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("campaign", loaded.campaign().name());
      out.put("workflowId", started.workflowId());
      out.put("started", started.started());
      if (common.json()) {
        console.json(out);
      } else {
        console.line(
            (started.started() ? "started " : "attached to ")
                + started.workflowId()
                + (started.ended() ? " (already ended)" : ""));
      }
      return ExitCodes.OK;
    }
  }

  private void printEnding(Console console, LoadedCampaign loaded, ProgressFollower.Ending ending) {
    CampaignProgress p = ending.progress();
    if (p == null) {
      console.note("Campaign " + loaded.campaign().name() + " ended: " + ending.problem());
      return;
    }
    console.note(
        "Campaign "
            + loaded.campaign().name()
            + " "
            + p.state()
            + ": "
            + p.completed()
            + " completed, "
            + p.failed()
            + " failed, "
            + p.skipped()
            + " skipped of "
            + p.planned()
            + " runs.");
    console.note(
        "Results: "
            + common.resultsDir().resolve(loaded.campaign().name())
            + "  (llem-campaign results "
            + loaded.campaign().name()
            + " --results "
            + common.resultsDir()
            + ")");
  }

  /**
   * How to see the Web UI once this command ends: its embedded server (when this process holds the
   * state file) stops with it; a server of another process stays.
   */
  private static String reopenUi(String campaign) {
    var holder = StateFileHolder.liveHolder(LlemHome.fromEnvironment().temporalDb());
    if (holder.isPresent() && holder.get().pid() != ProcessHandle.current().pid()) {
      return "Web UI: stays up while "
          + holder.get().describe()
          + " runs; llem-campaign ui "
          + campaign
          + " reopens it once that stops";
    }
    if (holder.isEmpty()) {
      return "Web UI: served by a server this tool did not start; when none runs, llem-campaign ui "
          + campaign
          + " serves it";
    }
    return "Web UI: its server stops with this command; reopen it with: llem-campaign ui "
        + campaign;
  }

  static String webUiLink(String base, String namespace, String workflowId) {
    return base
        + "/namespaces/"
        + namespace
        + "/workflows/"
        + URLEncoder.encode(workflowId, StandardCharsets.UTF_8);
  }
}
