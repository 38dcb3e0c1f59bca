package org.llenergymeasure.campaign.worker.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.container.DockerEngine;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.worker.logs.RunLogs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = {
      "Print a run's log: while it runs, its container's log (or its process's output with attach:"
          + " process); once it ended, the saved <results>/<campaign>/<runId>/a<last attempt>/log.txt."
          + " Secret values are masked. Run it on the host that runs the run.",
      "--follow keeps printing until the run's attempt ends (and waits for it to start). --json"
          + " (without --follow): {\"campaign\", \"runId\", \"attempt\", \"source\":"
          + " \"saved|container|process\", \"log\"}."
    },
    footer = {
      "",
      "Examples:",
      "  llem-campaign logs quickstart small-on-gpu0.c1",
      "  llem-campaign logs quickstart pair-on-gpu1-2.c2 --follow --results /data/results"
    })
final class LogsCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "CAMPAIGN", description = "The campaign name.")
  String campaign;

  @Parameters(index = "1", paramLabel = "RUN_ID", description = "The run, e.g. small-on-gpu0.c1.")
  String runId;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing until the run's attempt ends.")
  boolean follow;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    Console console = Console.system();
    DockerEngine engine = DockerEngine.fromEnvironment();
    try {
      engine.ping();
    } catch (RunFailureException e) {
      // Saved logs and process output need no engine.
      engine.close();
      engine = null;
    }
    try {
      RunLogs logs =
          new RunLogs(
              common.resultsDir(),
              campaign,
              runId,
              engine,
              System.getenv(),
              Duration.ofMillis(500));
      if (common.json() && !follow) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        RunLogs.Found found =
            logs.print(new PrintStream(text, true, StandardCharsets.UTF_8), false, console::note);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("campaign", campaign);
        out.put("runId", runId);
        out.put("attempt", found.attempt());
        out.put("source", found.source());
        out.put("log", text.toString(StandardCharsets.UTF_8));
        console.json(out);
      } else {
        logs.print(System.out, follow, console::note);
      }
    } finally {
      if (engine != null) {
        engine.close();
      }
    }
    return ExitCodes.OK;
  }
}
