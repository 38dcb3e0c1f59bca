package org.llenergymeasure.campaign.worker.cli;

import org.llenergymeasure.campaign.config.CampaignFileException;
import org.llenergymeasure.campaign.config.ConfigError;
import org.llenergymeasure.campaign.worker.BadInput;
import org.llenergymeasure.campaign.worker.EnvironmentProblem;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.worker.WorkerVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code llem-campaign}: the command line of a campaign's week. */
@Command(
    name = "llem-campaign",
    mixinStandardHelpOptions = true,
    version = "llem-campaign " + WorkerVersion.VERSION,
    description =
        "Durable LLM energy-measurement campaigns: one container per run, on exactly its GPUs.",
    subcommands = {
      RunCommand.class,
      StatusCommand.class,
      ListCommand.class,
      PauseCommand.class,
      ResumeCommand.class,
      CancelCommand.class,
      SkipCommand.class,
      RetryFailedCommand.class,
      ConcurrencyCommand.class,
      LogsCommand.class,
      ResultsCommand.class,
      WorkerCommand.class,
      ServerCommand.class,
      UiCommand.class,
      ReportCommand.class,
      DoctorCommand.class,
      ValidateCommand.class,
      ImportCommand.class,
      PlanCommand.class,
      GpusCommand.class,
      RouteCommand.class,
      QuarantineCommand.class,
      HostsCommand.class,
      DrainCommand.class,
      UndrainCommand.class,
      AmendCommand.class,
      ScheduleCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 ok, 1 campaign finished with failed runs, 2 bad input, 3 environment problem.",
      "",
      "Temporal connection (the Temporal CLI's variables): TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,",
      "TEMPORAL_API_KEY (never printed), TEMPORAL_TLS=true, TEMPORAL_TLS_CLIENT_CERT_PATH,",
      "TEMPORAL_TLS_CLIENT_KEY_PATH, TEMPORAL_TLS_SERVER_CA_CERT_PATH (or TEMPORAL_TLS_CERT,",
      "TEMPORAL_TLS_KEY, TEMPORAL_TLS_CA), TEMPORAL_TLS_SERVER_NAME; over the profile of temporal.toml",
      "(--profile, else TEMPORAL_PROFILE; TEMPORAL_CONFIG_FILE). State folder: LLEM_HOME (default",
      "~/.llem-campaign).",
      "",
      "Examples:",
      "  llem-campaign doctor examples/quickstart.yaml --inventory examples/inventories/sim-4gpu-idle",
      "  llem-campaign run examples/quickstart.yaml --inventory examples/inventories/sim-4gpu-idle",
      "  llem-campaign status quickstart",
      "  llem-campaign <command> --help"
    })
public final class Main implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.err);
  }

  /** The commands that run for long and keep a log file under LLEM_HOME/logs (logback.xml). */
  static final java.util.Set<String> LONG_RUNNING = java.util.Set.of("run", "worker", "server");

  public static void main(String[] args) {
    // Before anything logs: the short commands log to the terminal only (logback-cli.xml).
    if (System.getProperty("logback.configurationFile") == null && !runsLong(args)) {
      System.setProperty("logback.configurationFile", "logback-cli.xml");
    }
    System.exit(execute(args));
  }

  static boolean runsLong(String[] args) {
    for (String a : args) {
      if (!a.startsWith("-")) {
        return LONG_RUNNING.contains(a) && !java.util.Arrays.asList(args).contains("--help");
      }
    }
    return false;
  }

  /** Runs a command line and returns its exit code (tests call this in-process). */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(Main::handle);
    cli.setParameterExceptionHandler(
        (ex, a) -> {
          System.err.println("error: " + ex.getMessage());
          System.err.println(
              "See '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          return ExitCodes.BAD_INPUT;
        });
    return cli.execute(args);
  }

  private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parse) {
    boolean json = false;
    // The deepest subcommand holds the flags (`quarantine release --json`).
    for (CommandLine.ParseResult p = parse.subcommand(); p != null; p = p.subcommand()) {
      json |= p.hasMatchedOption("--json");
    }
    Console console = Console.system();
    if (e instanceof CampaignFileException bad) {
      for (ConfigError error : bad.errors()) {
        console.note(error.toString());
      }
      if (json) {
        console.error(
            true,
            "CampaignFileInvalid",
            bad.errors().size() + " error(s) in the campaign file",
            false);
      }
      return ExitCodes.BAD_INPUT;
    }
    if (e instanceof BadInput) {
      console.error(json, "BadInput", e.getMessage(), false);
      return ExitCodes.BAD_INPUT;
    }
    if (e instanceof EnvironmentProblem) {
      console.error(json, "EnvironmentProblem", e.getMessage(), true);
      return ExitCodes.ENVIRONMENT;
    }
    console.error(json, e.getClass().getSimpleName(), String.valueOf(e.getMessage()), false);
    e.printStackTrace(System.err);
    return ExitCodes.ENVIRONMENT;
  }
}
