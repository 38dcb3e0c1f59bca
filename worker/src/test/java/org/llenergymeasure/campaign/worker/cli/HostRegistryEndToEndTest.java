package org.llenergymeasure.campaign.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.ledger.RunLedger;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.worker.campaign.CampaignStarter;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.CampaignStatus;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflow;

/**
 * The host registry end to end on a real Temporal dev server and Docker: two hosts with different
 * simulated inventories (four H100s, two H200s), each with its worker wired as {@code worker} and
 * {@code run} wire theirs, register; {@code hosts --json} lists both with their GPUs; a drained
 * host refuses a new run, which goes to the other host; a run already on a host that is drained
 * meanwhile finishes there (draining, then drained); {@code undrain} restores the host; {@code
 * drain nosuch} exits 2 naming the known hosts; a drained host's stopped worker leaves no record.
 */
@Tag("docker")
@Tag("temporal")
@ExtendWith(DockerExtension.class)
class HostRegistryEndToEndTest {

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  private final Path repo = DockerExtension.repoRoot();
  private final String suffix = Long.toString(System.nanoTime() % 100_000, 36);

  private String[] args(String... command) {
    List<String> all = new ArrayList<>(List.of(command));
    all.add("--temporal");
    all.add(temporal.address());
    return all.toArray(String[]::new);
  }

  private static JsonNode host(JsonNode hosts, String id) {
    for (JsonNode h : hosts.get("hosts")) {
      if (h.get("hostId").asText().equals(id)) {
        return h;
      }
    }
    return null;
  }

  private static String state(CliRun hosts, String id) {
    JsonNode h = host(hosts.json(), id);
    return h == null ? "absent" : h.get("state").asText();
  }

  private String startCampaign(WorkflowClient client, String name, String command)
      throws Exception {
    String yaml =
        String.join(
            "\n",
            "campaign: " + name,
            "hosts: [a, b]",
            "defaults: {image: 'llem-probe:dev', timeout: 2m}",
            "experiments:",
            "  - name: one",
            "    gpus: [0]",
            "    command: [sh, -c, '" + command + "']",
            "");
    return new CampaignStarter(client)
        .startOrAttach(CampaignLoader.parse(yaml, name + ".yaml"), List.of("a", "b"))
        .workflowId();
  }

  private static CampaignProgress end(WorkflowClient client, String workflowId) throws Exception {
    return WorkflowStub.fromTyped(client.newWorkflowStub(CampaignWorkflow.class, workflowId))
        .getResult(3, TimeUnit.MINUTES, CampaignProgress.class);
  }

  private static LedgerEntry onlyRun(Path results, String campaign) {
    List<LedgerEntry> ledger = RunLedger.of(results, campaign).read();
    assertEquals(1, ledger.size(), ledger.toString());
    assertEquals("completed", ledger.get(0).status(), ledger.toString());
    return ledger.get(0);
  }

  @Test
  void twoHostsRegisterAndADrainedHostRefusesNewRunsUntilUndrained(
      DockerClient docker, @TempDir Path tmp) throws Exception {
    WorkflowClient client = temporal.client();
    Path results = tmp.resolve("results");
    String refused = "hostreg-refused-" + suffix;
    String finishes = "hostreg-finishes-" + suffix;
    // Before any worker registered: no hosts, and drain names none (no registry yet).
    CliRun none = CliRun.of(args("hosts", "--json"));
    assertEquals(0, none.exit(), none.err());
    assertEquals(0, none.json().get("hosts").size(), none.out());
    JsonNode noRegistry =
        CliRun.of(args("drain", "a", "--json")).assertJsonError(2, "BadInput", false);
    assertTrue(
        noRegistry.get("message").asText().contains("no host 'a' is registered; known hosts: none"),
        noRegistry.toString());
    try (PoolHost a = PoolHost.start(client, "a", "sim-4gpu-idle", tmp, results);
        PoolHost b = PoolHost.start(client, "b", "h200-2gpu", tmp, results)) {
      // Both register with their inventories.
      CliRun listed =
          CampaignCommandsTest.eventually(
              () -> CliRun.of(args("hosts", "--json")),
              r -> r.exit() == 0 && state(r, "a").equals("up") && state(r, "b").equals("up"),
              Duration.ofSeconds(60));
      JsonNode ha = host(listed.json(), "a");
      JsonNode hb = host(listed.json(), "b");
      assertEquals(4, ha.get("gpus").size(), ha.toString());
      assertEquals(2, hb.get("gpus").size(), hb.toString());
      assertEquals(
          "GPU-0a1b2c3d-1111-4e5f-8a9b-000000000000", ha.get("gpus").get(0).get("uuid").asText());
      assertEquals("NVIDIA H200", hb.get("gpus").get(1).get("name").asText());
      assertEquals(143_771, hb.get("gpus").get(1).get("memoryMiB").asLong());
      assertEquals("0.1.0", ha.get("workerVersion").asText());
      assertTrue(ha.get("driver").isNull(), "a simulated host has no driver: " + ha);
      for (String field :
          List.of(
              "hostId",
              "gpus",
              "driver",
              "workerVersion",
              "leasedUuids",
              "quarantinedUuids",
              "registeredAtMs",
              "lastSeenMs",
              "draining",
              "state")) {
        assertTrue(ha.has(field), field + " in " + ha);
      }
      CliRun table = CliRun.of(args("hosts"));
      assertTrue(table.out().contains("4x NVIDIA H100 80GB HBM3"), table.out());
      assertTrue(table.out().matches("(?s).*\\bb\\s+up\\s+2/0/0\\s+2x NVIDIA H200.*"), table.out());

      // An unknown host: exit 2, naming the known ones.
      CliRun nosuch = CliRun.of(args("drain", "nosuch", "--json"));
      JsonNode error = nosuch.assertJsonError(2, "BadInput", false);
      assertTrue(
          error
              .get("message")
              .asText()
              .contains("no host 'nosuch' is registered; known hosts: a, b"),
          error.toString());

      // Drain a (idle): drained at once; a new run that could go to a or b goes to b.
      CliRun drain = CliRun.of(args("drain", "a"));
      assertEquals(0, drain.exit(), drain.err());
      assertTrue(drain.out().contains("nothing new is placed there"), drain.out());
      assertEquals("drained", state(CliRun.of(args("hosts", "--json")), "a"));
      String first = startCampaign(client, refused, "echo {} > /results/result.json");
      assertEquals(CampaignStatus.COMPLETED, end(client, first).state());
      assertEquals("b", onlyRun(results, refused).host(), "the drained host took a new run");
      String routeOnA =
          client.fetchHistory(first + "/one.c1").getEvents().stream()
              .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED)
              .map(e -> e.getActivityTaskFailedEventAttributes().getFailure().getMessage())
              .filter(m -> m.contains("is draining"))
              .findFirst()
              .orElse("");
      assertTrue(routeOnA.contains("host a is draining"), "a refused the run: " + routeOnA);

      // Undrain a: it takes runs again (a is first among the campaign's hosts). Drained while
      // that run runs there: draining, the run finishes on a, then drained.
      // a's worker reads the drain through its process's view of the registry (read just now).
      assertTrue(a.reporter().draining(), "a's worker sees the drain");
      assertEquals(0, CliRun.of(args("undrain", "a")).exit());
      assertEquals("up", state(CliRun.of(args("hosts", "--json")), "a"));
      // undrain answers once every worker's view has been read since: a's routing takes runs
      // again at once, though its view was read an instant before the undrain.
      assertFalse(a.reporter().draining(), "a's worker still sees the drain after undrain");
      String second = startCampaign(client, finishes, "sleep 8; echo {} > /results/result.json");
      CampaignCommandsTest.eventually(
          () -> CliRun.of(args("hosts", "--json")),
          r -> host(r.json(), "a").get("leasedUuids").size() == 1,
          Duration.ofSeconds(60));
      CliRun draining = CliRun.of(args("drain", "a", "--json"));
      assertEquals(0, draining.exit(), draining.err());
      assertEquals("draining", draining.json().get("state").asText(), draining.out());
      assertEquals(CampaignStatus.COMPLETED, end(client, second).state());
      assertEquals("a", onlyRun(results, finishes).host(), "the running run finished on a");
      CampaignCommandsTest.eventually(
          () -> CliRun.of(args("hosts", "--json")),
          r -> state(r, "a").equals("drained"),
          Duration.ofSeconds(30));

      // A drained host's worker stops and leaves no record behind; b stays.
      a.reporter().close();
      CliRun after = CliRun.of(args("hosts", "--json"));
      assertEquals("absent", state(after, "a"), after.out());
      assertEquals("up", state(after, "b"), after.out());
    } finally {
      DockerExtension.removeContainersLabelled(docker, "llem.campaign=" + refused);
      DockerExtension.removeContainersLabelled(docker, "llem.campaign=" + finishes);
    }
  }
}
