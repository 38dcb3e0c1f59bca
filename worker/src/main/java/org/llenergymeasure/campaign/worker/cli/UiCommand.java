package org.llenergymeasure.campaign.worker.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.llenergymeasure.campaign.worker.BadInput;
import org.llenergymeasure.campaign.worker.EnvironmentProblem;
import org.llenergymeasure.campaign.worker.LlemHome;
import org.llenergymeasure.campaign.worker.campaign.CampaignLookup;
import org.llenergymeasure.campaign.worker.campaign.CampaignStarter;
import org.llenergymeasure.campaign.worker.campaign.CampaignStatusReader;
import org.llenergymeasure.campaign.worker.server.ServerSession;
import org.llenergymeasure.campaign.worker.server.StateFileHolder;
import org.llenergymeasure.campaign.worker.temporal.TemporalSettings;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "ui",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the embedded Temporal server with its Web UI on the state `run` uses"
          + " (LLEM_HOME/temporal.db) and print the Web UI link, of the campaign NAME when given;"
          + " runs until Ctrl-C. `run` stops its embedded server when it ends: this reopens its UI.",
      "When another process already serves that state file (a `run`, `server` or `ui`), nothing"
          + " is started: it says which process (pid, command) and its Web UI, and exits 3."
    },
    footer = {
      "",
      "Examples:",
      "  llem-campaign ui                 # the Web UI of every campaign in LLEM_HOME",
      "  llem-campaign ui quickstart      # the link of the quickstart campaign's workflow"
    })
final class UiCommand implements Callable<Integer> {

  @Parameters(
      paramLabel = "NAME",
      arity = "0..1",
      description = "A campaign in the state: print its workflow's link.")
  String campaign;

  @Option(names = "--port", paramLabel = "P", description = "gRPC port (default 7233).")
  int port = 7233;

  @Option(names = "--ui-port", paramLabel = "P", description = "Web UI port (default 8233).")
  int uiPort = TemporalSettings.EMBEDDED_UI_PORT;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    Console console = Console.system();
    LlemHome home = LlemHome.fromEnvironment().ensureExists();
    try {
      return ServerCommand.serve(
          home,
          port,
          uiPort,
          server -> {
            String base = "http://127.0.0.1:" + uiPort;
            String link =
                campaign == null ? base + "/namespaces/" + namespace() : link(base, campaign);
            if (campaign != null) {
              requireKnown();
            }
            if (common.json()) {
              Map<String, Object> served = new LinkedHashMap<>();
              served.put("webUi", link);
              served.put("address", "127.0.0.1:" + port);
              served.put("stateFile", home.temporalDb().toString());
              served.put("campaign", campaign);
              console.json(served);
            } else {
              console.line(link);
            }
            console.note(
                "Web UI of "
                    + home.temporalDb()
                    + " (server on 127.0.0.1:"
                    + port
                    + "); Ctrl-C stops it, the state stays.");
          });
    } catch (StateFileHolder.StateFileHeld e) {
      String webUi = e.holder().webUi();
      throw new EnvironmentProblem(
          e.getMessage()
              + (webUi == null
                  ? ""
                  : "; open "
                      + (campaign == null ? webUi : link(webUi, campaign))
                      + " while it runs"));
    }
  }

  private String namespace() {
    return common.temporalSettings().namespace();
  }

  private String link(String base, String name) {
    return RunCommand.webUiLink(base, namespace(), CampaignWorkflow.workflowId(name));
  }

  /** Exit 2 naming the known campaigns when the state has no campaign of that name. */
  private void requireKnown() {
    TemporalSettings settings = TemporalSettings.resolve("127.0.0.1:" + port, namespace());
    RuntimeException last = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try (ServerSession session = ServerSession.connectOnly(settings)) {
        var client = session.connection().client();
        if (new CampaignStarter(client).describe(CampaignWorkflow.workflowId(campaign)) != null) {
          return;
        }
        List<String> known =
            new CampaignStatusReader(
                    new CampaignLookup(client, session.connection().address()),
                    CampaignCommands.QUERY_TIMEOUT)
                .list().stream().map(CampaignStatusReader.Summary::campaign).toList();
        throw new BadInput(
            "no campaign named "
                + campaign
                + " in "
                + LlemHome.fromEnvironment().temporalDb()
                + (known.isEmpty()
                    ? " (it holds none)"
                    : "; known campaigns: " + String.join(", ", known)));
      } catch (BadInput e) {
        throw e;
      } catch (RuntimeException e) {
        last = e; // the server answers a moment after it listens
        sleep();
      }
    }
    throw new EnvironmentProblem(
        "the Temporal server on 127.0.0.1:" + port + " did not answer: " + last.getMessage());
  }

  private static void sleep() {
    try {
      Thread.sleep(250);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentProblem("interrupted while waiting for the Temporal server");
    }
  }
}
