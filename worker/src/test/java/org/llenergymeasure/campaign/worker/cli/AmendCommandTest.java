package org.llenergymeasure.campaign.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.client.WorkflowClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.GpuCare;
import org.llenergymeasure.campaign.activities.HostGpuCareActivities;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.RunBackendByAttach;
import org.llenergymeasure.campaign.activities.TestHostRunActivities;
import org.llenergymeasure.campaign.activities.gpu.inventory.FileInventorySource;
import org.llenergymeasure.campaign.activities.gpu.lease.GpuLeaseStore;
import org.llenergymeasure.campaign.activities.gpu.telemetry.NoGpuTelemetry;
import org.llenergymeasure.campaign.activities.ledger.ResultCollector;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.activities.workflow.ScriptedRunBackend;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.worker.campaign.CampaignStarter;
import org.llenergymeasure.campaign.worker.campaign.ProgressFollower;
import org.llenergymeasure.campaign.worker.host.HostActivities;
import org.llenergymeasure.campaign.worker.host.WorkerHost;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;

/**
 * {@code amend} through the command line against a campaign on a real dev server (scripted
 * containers, real host activities): the diff it prints, its refusal without a terminal and without
 * {@code --yes}, {@code run} of the new file naming {@code amend}, the amend itself with {@code
 * --yes}, {@code status --json}'s plan version and hashes, and {@code amend} of the campaign once
 * it has ended and of an unknown one.
 */
@Tag("temporal")
class AmendCommandTest {

  private static final String HOST = "amend-cli-host";
  private static final String NAME = "amend-cli";

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  private String[] args(String... command) {
    List<String> all = new ArrayList<>(List.of(command));
    all.add("--temporal");
    all.add(temporal.address());
    return all.toArray(String[]::new);
  }

  static String file(String name, String... experiments) {
    return String.join(
        "\n",
        "campaign: " + name,
        "defaults: {image: 'fake:1', timeout: 10m}",
        "experiments:",
        String.join("\n", experiments),
        "execution: {cycles: 3}",
        "");
  }

  static final String[] V1 = {
    "  - {name: a, gpus: [0]}", "  - {name: b, gpus: [1]}", "  - {name: c, gpus: [2], command: [x]}"
  };
  static final String[] V2 = {
    "  - {name: a, gpus: [0]}", "  - {name: c, gpus: [2], command: [y]}", "  - {name: d, gpus: [3]}"
  };

  @Test
  void amendShowsTheDiffAsksAppliesAndRefusesAnEndedCampaign(@TempDir Path tmp) throws Exception {
    Path inventory = DockerExtension.repoRoot().resolve("examples/inventories/sim-4gpu-idle");
    Path v2 = Files.writeString(tmp.resolve("v2.yaml"), file(NAME, V2));
    WorkflowClient client = temporal.client();
    ScriptedRunBackend containers = new ScriptedRunBackend(System::currentTimeMillis);
    containers.step("b.c2", 1, "held for the amend");
    try (WorkerHost worker =
        new WorkerHost(client, HOST, host(tmp, inventory, containers), 2).start()) {
      CampaignStarter.Started started =
          new CampaignStarter(client)
              .startOrAttach(CampaignLoader.parse(file(NAME, V1), "v1.yaml"), List.of(HOST));
      containers.waitUntilAwaiting("b.c2", 1);

      // No terminal and no --yes: the diff, then a refusal that says to pass --yes.
      CliRun asked = CliRun.of(args("amend", NAME, v2.toString()));
      assertEquals(2, asked.exit(), asked.err());
      assertTrue(asked.err().contains("plan v1 ("), asked.err());
      assertTrue(
          asked.err().contains("  + d (added: runs in the cycles that have not started)"),
          asked.err());
      assertTrue(
          asked.err().contains("  - b (removed: its runs that have not started are skipped)"),
          asked.err());
      assertTrue(
          asked
              .err()
              .contains("  ~ c (changed: command; its runs that have not started run as c@v2)"),
          asked.err());
      assertTrue(asked.err().contains("pass --yes"), asked.err());

      // run of the new file under the running campaign's name is refused and names amend.
      CliRun run = CliRun.of(args("run", v2.toString(), "--detach", "--host-id", HOST));
      assertEquals(2, run.exit(), run.err());
      assertTrue(run.err().contains("llem-campaign amend " + NAME + " FILE"), run.err());

      CliRun applied = CliRun.of(args("amend", NAME, v2.toString(), "--yes", "--json"));
      assertEquals(0, applied.exit(), applied.err());
      JsonNode out = applied.json();
      assertEquals(2, out.get("planVersion").asInt());
      assertEquals("b", out.get("removed").get(0).asText());
      assertEquals("d", out.get("added").get(0).asText());
      assertEquals("command", out.get("changed").get("c").get(0).asText());

      JsonNode status = CliRun.of(args("status", NAME, "--json")).json();
      assertEquals(2, status.get("planVersion").asInt());
      assertEquals(2, status.get("planHashes").size());
      assertEquals(1, status.get("amendments").size());

      containers.release("b.c2", 1);
      ProgressFollower.Ending ending =
          new ProgressFollower(client, s -> {}, Duration.ofMillis(200), p -> {})
              .follow(started.workflowId());
      assertEquals(9, ending.progress().completed());
      assertEquals(1, ending.progress().skipped());
    }
    // Reported apart: the ledger keeps c's run under the old definition as c, the later ones as
    // c@v2 (results and report group by the experiment).
    CliRun results =
        CliRun.of(args("results", NAME, "--json", "--results", tmp.resolve("results").toString()));
    assertEquals(0, results.exit(), results.err());
    Map<String, String> experimentOf = new java.util.TreeMap<>();
    results
        .json()
        .get("runs")
        .forEach(r -> experimentOf.put(r.get("runId").asText(), r.get("experiment").asText()));
    assertEquals("c", experimentOf.get("c.c1"));
    assertEquals("c@v2", experimentOf.get("c@v2.c2"));
    assertEquals("c@v2", experimentOf.get("c@v2.c3"));

    CliRun ended = CliRun.of(args("amend", NAME, v2.toString(), "--yes"));
    assertEquals(2, ended.exit(), ended.err());
    assertTrue(ended.err().contains("already ended (completed)"), ended.err());

    Path unknown = Files.writeString(tmp.resolve("unknown.yaml"), file("amend-nobody", V2));
    CliRun none = CliRun.of(args("amend", "amend-nobody", unknown.toString(), "--yes"));
    assertEquals(2, none.exit(), none.err());
    assertTrue(none.err().contains("no campaign named amend-nobody"), none.err());
  }

  /** Real host activities on the simulated inventory with scripted containers. */
  private static HostActivities host(Path tmp, Path inventory, ScriptedRunBackend containers) {
    HostSettings settings =
        new HostSettings(HOST, tmp.resolve("results"), inventory, Map.of(), null);
    FileInventorySource files = new FileInventorySource(inventory, HOST);
    GpuCare care = GpuCare.withoutHygiene(settings, files);
    return new HostActivities(
        TestHostRunActivities.of(
            settings,
            files,
            new GpuLeaseStore(tmp.resolve("leases.json"), HOST, Clock.systemUTC()),
            RunBackendByAttach.only(containers),
            new ResultCollector(containers, new NoGpuTelemetry("no GPU telemetry here")),
            care),
        new HostGpuCareActivities(settings, care));
  }
}
