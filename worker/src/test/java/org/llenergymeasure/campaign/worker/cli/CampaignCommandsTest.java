package org.llenergymeasure.campaign.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.sdk.v1.WorkflowMetadata;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.worker.LlemHome;
import org.llenergymeasure.campaign.worker.campaign.CampaignStarter;
import org.llenergymeasure.campaign.worker.campaign.ProgressFollower;
import org.llenergymeasure.campaign.worker.host.HostRuntime;
import org.llenergymeasure.campaign.worker.host.WorkerHost;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;

/**
 * status, list, logs, cancel and the refused updates, in-process, against a real Temporal dev
 * server, a worker in this JVM and the real Docker engine; plus the failure paths (unknown
 * campaign, server down).
 */
@Tag("docker")
@Tag("temporal")
@ExtendWith(DockerExtension.class)
class CampaignCommandsTest {

  private static final String HOST = "cli-host";

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  private final Path repo = DockerExtension.repoRoot();
  private final Path inventory = repo.resolve("examples/inventories/sim-4gpu-idle");

  private static LoadedCampaign campaign(String name, String firstCommand) throws Exception {
    return CampaignLoader.parse(
        String.join(
            "\n",
            "campaign: " + name,
            "defaults: {image: 'llem-probe:dev', timeout: 2m}",
            "experiments:",
            "  - name: slow",
            "    gpus: [0]",
            "    command: [sh, -c, '" + firstCommand + "']",
            "  - name: quick",
            "    gpus: [1]",
            "    command: [sh, -c, 'echo {} > /results/result.json']",
            ""),
        name + ".yaml");
  }

  /** An event as llenergymeasure's container entry point prints it, and the step it reads as. */
  private static final String STEP_EVENT =
      "{\"event\": \"step_start\", \"step\": \"model\", \"description\": \"Loading model\","
          + " \"detail\": \"gpt2\"}";

  private static final String STEP = "model: Loading model (gpt2)";

  /** A workflow's current details (its page in the Web UI), through the SDK's metadata query. */
  private static String currentDetails(WorkflowClient client, String workflowId) {
    try {
      return client
          .newUntypedWorkflowStub(workflowId)
          .query("__temporal_workflow_metadata", WorkflowMetadata.class)
          .getCurrentDetails();
    } catch (RuntimeException e) {
      return "";
    }
  }

  private String[] args(String... command) {
    List<String> all = new ArrayList<>(List.of(command));
    all.add("--temporal");
    all.add(temporal.address());
    return all.toArray(String[]::new);
  }

  @Test
  void statusListAndLogsFollowARunningCampaignThenItsEnd(DockerClient docker, @TempDir Path tmp)
      throws Exception {
    LoadedCampaign loaded =
        campaign(
            "cli-live",
            "echo line-one; echo ''"
                + STEP_EVENT
                + "''; echo line-two; sleep 12; echo {} > /results/result.json; echo the-end");
    Path results = tmp.resolve("results");
    WorkflowClient client = temporal.client();
    try (HostRuntime runtime =
            HostRuntime.open(HOST, results, inventory, new LlemHome(tmp.resolve("home")));
        WorkerHost worker = new WorkerHost(client, HOST, runtime.activities(), 1).start()) {
      CampaignStarter.Started started =
          new CampaignStarter(client).startOrAttach(loaded, List.of(HOST));

      // While the first run runs: the live query answers with it.
      JsonNode running =
          eventually(
                  () -> CliRun.of(args("status", "cli-live", "--json")),
                  r -> r.exit() == 0 && r.json().get("running").size() == 1,
                  Duration.ofSeconds(60))
              .json();
      assertEquals("cli-live", running.get("campaign").asText());
      assertEquals("running", running.get("state").asText());
      assertEquals(2, running.get("planned").asLong());
      assertEquals("query", running.get("source").asText());
      assertEquals("slow.c1", running.get("running").get(0).get("runId").asText());
      for (String field :
          List.of("completed", "failed", "skipped", "pending", "recentFailures", "etaSeconds")) {
        assertTrue(running.has(field), field + " in " + running);
      }

      // Its progress event, as its step: in status --json and the human status (from await's
      // heartbeat), and on the run's page in the Web UI (its current details, by signal).
      JsonNode stepped =
          eventually(
                  () -> CliRun.of(args("status", "cli-live", "--json")),
                  r -> r.exit() == 0 && r.json().get("running").path(0).path("step").isTextual(),
                  Duration.ofSeconds(30))
              .json();
      assertEquals(STEP, stepped.get("running").get(0).get("step").asText(), stepped.toString());
      CliRun human = CliRun.of(args("status", "cli-live"));
      assertTrue(human.out().contains("    step: " + STEP), human.out());
      String details =
          eventually(
              () -> currentDetails(client, "campaign/cli-live/slow.c1"),
              d -> d.contains(STEP.replace("(", "\\(").replace(")", "\\)")),
              Duration.ofSeconds(30));
      assertTrue(details.contains("| step |"), details);

      // The container's log while it runs.
      CliRun logs =
          eventually(
              () -> CliRun.of("logs", "cli-live", "slow.c1", "--results", results.toString()),
              r -> r.exit() == 0 && r.out().contains("line-one"),
              Duration.ofSeconds(30));
      assertTrue(logs.err().contains("container"), logs.err());

      // list reads the search attributes; visibility may lag a moment.
      JsonNode listed =
          eventually(
                  () -> CliRun.of(args("list", "--json")),
                  r -> r.exit() == 0 && find(r.json().get("campaigns"), "cli-live") != null,
                  Duration.ofSeconds(20))
              .json();
      JsonNode entry = find(listed.get("campaigns"), "cli-live");
      assertEquals("running", entry.get("state").asText());
      assertEquals(2, entry.get("planned").asLong());

      // --follow streams until the run's container ends.
      CliRun followed =
          CliRun.of("logs", "cli-live", "slow.c1", "--follow", "--results", results.toString());
      assertEquals(0, followed.exit(), followed.err());
      assertTrue(followed.out().contains("the-end"), followed.out());

      ProgressFollower.Ending ending =
          new ProgressFollower(client, s -> {}, Duration.ofMillis(200), p -> {})
              .follow(started.workflowId());
      assertEquals(2, ending.progress().completed());
    }

    // Ended and no worker: the recorded result, exact.
    CliRun done = CliRun.of(args("status", "cli-live", "--json"));
    assertEquals(0, done.exit(), done.err());
    assertEquals("completed", done.json().get("state").asText());
    assertEquals(2, done.json().get("completed").asLong());
    assertEquals(0, done.json().get("pending").asLong());
    assertEquals("result", done.json().get("source").asText());

    CliRun people = CliRun.of(args("status", "cli-live"));
    assertEquals(0, people.exit());
    assertTrue(people.out().contains("campaign cli-live: completed, 2/2 runs done"), people.out());

    // The saved log of the ended run, as JSON.
    CliRun saved =
        CliRun.of("logs", "cli-live", "slow.c1", "--json", "--results", results.toString());
    assertEquals(0, saved.exit(), saved.err());
    assertEquals("saved", saved.json().get("source").asText());
    assertEquals(1, saved.json().get("attempt").asInt());
    assertTrue(saved.json().get("log").asText().contains("the-end"), saved.out());

    CliRun noRun = CliRun.of("logs", "cli-live", "nope.c1", "--results", results.toString());
    assertEquals(2, noRun.exit(), noRun.err());
    assertTrue(noRun.err().contains("no log of run nope.c1"), noRun.err());

    CliRun cancelEnded = CliRun.of(args("cancel", "cli-live", "--json"));
    cancelEnded.assertJsonError(2, "BadInput", false);
    assertTrue(cancelEnded.err().contains("already ended (completed)"), cancelEnded.err());
    assertEquals(
        0,
        DockerExtension.removeContainersLabelled(docker, "llem.campaign=cli-live"),
        "containers left");
  }

  @Test
  void withoutAWorkerStatusFallsBackToTheSearchAttributesAndSaysSo() throws Exception {
    LoadedCampaign loaded = campaign("cli-idle", "true");
    new CampaignStarter(temporal.client()).startOrAttach(loaded, List.of("nobody"));

    long before = System.nanoTime();
    CliRun status = CliRun.of(args("status", "cli-idle", "--json"));
    assertEquals(0, status.exit(), status.err());
    assertTrue(
        Duration.ofNanos(System.nanoTime() - before).toSeconds() < 20,
        "falls back within the query timeout");
    JsonNode p = status.json();
    assertEquals("searchAttributes", p.get("source").asText());
    assertEquals("running", p.get("state").asText());
    assertEquals(2, p.get("planned").asLong());
    assertEquals(0, p.get("completed").asLong());
    assertEquals(2, p.get("pending").asLong());
    assertTrue(status.err().contains("may lag"), status.err());

    // An update nobody takes: no worker, exit 3 after the wait, saying so.
    CliRun pause = CliRun.of(args("retry-failed", "cli-idle", "--wait", "2"));
    assertEquals(3, pause.exit(), pause.err());
    assertTrue(pause.err().contains("no worker took the retryFailed"), pause.err());

    // Cancellation is a request to the server: accepted without a worker.
    CliRun cancel = CliRun.of(args("cancel", "cli-idle", "--json"));
    assertEquals(0, cancel.exit(), cancel.err());
    assertTrue(cancel.json().get("ok").asBoolean());
  }

  @Test
  void cancelStopsTheRunningRunAndTheCampaignEndsCanceled(DockerClient docker, @TempDir Path tmp)
      throws Exception {
    LoadedCampaign loaded = campaign("cli-cancel", "echo started; sleep 60");
    Path results = tmp.resolve("results");
    WorkflowClient client = temporal.client();
    try (HostRuntime runtime =
            HostRuntime.open(HOST, results, inventory, new LlemHome(tmp.resolve("home")));
        WorkerHost worker = new WorkerHost(client, HOST, runtime.activities(), 1).start()) {
      CampaignStarter starter = new CampaignStarter(client);
      CampaignStarter.Started started = starter.startOrAttach(loaded, List.of(HOST));
      eventually(
          () -> CliRun.of(args("status", "cli-cancel", "--json")),
          r -> r.exit() == 0 && r.json().get("running").size() == 1,
          Duration.ofSeconds(60));

      // Refused updates exit 2 with the workflow's reason: resume of a campaign that is not
      // paused, skip of a run the plan does not have.
      CliRun resume = CliRun.of(args("resume", "cli-cancel", "--json"));
      JsonNode error = resume.assertJsonError(2, "BadInput", false);
      assertTrue(
          error.get("message").asText().startsWith("cli-cancel: resume refused: "),
          error.toString());
      CliRun skip = CliRun.of(args("skip", "cli-cancel", "no-such-run.c9"));
      assertEquals(2, skip.exit(), skip.err());
      assertTrue(skip.err().contains("skip refused: "), skip.err());

      CliRun cancel = CliRun.of(args("cancel", "cli-cancel"));
      assertEquals(0, cancel.exit(), cancel.err());
      assertTrue(
          cancel.out().contains("cancellation of campaign cli-cancel requested"), cancel.out());

      eventually(
          () -> starter.describe(started.workflowId()).getWorkflowExecutionInfo().getStatus(),
          s -> s == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED,
          Duration.ofSeconds(60));
      JsonNode status = CliRun.of(args("status", "cli-cancel", "--json")).json();
      assertEquals("canceled", status.get("state").asText(), status.toString());
      JsonNode listed =
          eventually(
                  () -> CliRun.of(args("list", "--json")),
                  r ->
                      "canceled"
                          .equals(textOf(find(r.json().get("campaigns"), "cli-cancel"), "state")),
                  Duration.ofSeconds(20))
              .json();
      assertEquals(2, find(listed.get("campaigns"), "cli-cancel").get("planned").asLong());
    }
    // The canceled run's container is stopped and removed by its cleanup.
    eventually(
        () -> DockerExtension.removeContainersLabelled(docker, "llem.campaign=cli-cancel"),
        n -> n == 0,
        Duration.ofSeconds(30));
  }

  @Test
  void anUnknownCampaignIsBadInputNamingTheServer() {
    for (String[] command :
        List.of(
            new String[] {"status", "no-such"},
            new String[] {"pause", "no-such"},
            new String[] {"resume", "no-such"},
            new String[] {"cancel", "no-such"},
            new String[] {"skip", "no-such", "a.c1"},
            new String[] {"retry-failed", "no-such"})) {
      List<String> all = new ArrayList<>(List.of(args(command)));
      all.add("--json");
      CliRun r = CliRun.of(all.toArray(String[]::new));
      JsonNode error = r.assertJsonError(2, "BadInput", false);
      assertTrue(
          error
              .get("message")
              .asText()
              .startsWith("no campaign named no-such on " + temporal.address()),
          String.join(" ", command) + ": " + error);
    }
  }

  @Test
  void aServerThatIsDownIsOneLineNamingTheAddressAndExit3() throws IOException {
    String nothing = "127.0.0.1:" + freePort();
    for (String[] command :
        List.of(
            new String[] {"status", "x"},
            new String[] {"list"},
            new String[] {"pause", "x"},
            new String[] {"cancel", "x"},
            new String[] {"skip", "x", "r.c1"})) {
      List<String> all = new ArrayList<>(List.of(command));
      all.addAll(List.of("--temporal", nothing));
      CliRun r = CliRun.of(all.toArray(String[]::new));
      assertEquals(3, r.exit(), String.join(" ", command) + ": " + r.err());
      assertEquals(1, r.errLines().size(), r.err());
      assertTrue(
          r.errLines().get(0).startsWith("error: no Temporal server reachable at " + nothing),
          r.err());
    }
  }

  @Test
  void everyCommandHasHelpWithExamples() {
    for (String command :
        List.of(
            "status",
            "list",
            "pause",
            "resume",
            "cancel",
            "skip",
            "retry-failed",
            "set-concurrency",
            "logs",
            "doctor",
            "run",
            "worker",
            "server",
            "results",
            "validate",
            "plan",
            "gpus",
            "route")) {
      CliRun r = CliRun.of(command, "--help");
      assertEquals(0, r.exit(), command);
      assertTrue(r.out().contains("llem-campaign " + command), command + ":\n" + r.out());
      assertTrue(r.out().contains("Example"), command + " has examples:\n" + r.out());
    }
    for (String read :
        List.of(
            "status", "list", "logs", "doctor", "results", "plan", "gpus", "route", "validate")) {
      assertTrue(CliRun.of(read, "--help").out().contains("--json"), read + " takes --json");
    }
  }

  static JsonNode find(JsonNode campaigns, String name) {
    if (campaigns == null) {
      return null;
    }
    for (JsonNode c : campaigns) {
      if (c.get("campaign").asText().equals(name)) {
        return c;
      }
    }
    return null;
  }

  private static String textOf(JsonNode node, String field) {
    return node == null || node.get(field) == null ? null : node.get(field).asText();
  }

  static <T> T eventually(java.util.concurrent.Callable<T> probe, Predicate<T> done, Duration limit)
      throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    T last = null;
    while (System.nanoTime() < deadline) {
      last = probe.call();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(300);
    }
    throw new AssertionError(
        "not within " + limit + "; last: " + (last instanceof CliRun r ? r.out() + r.err() : last));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
