package org.llenergymeasure.campaign.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.worker.server.DevServerProcess;

/**
 * The README's quickstart, run as a new user runs it: the packaged jar through {@code
 * bin/llem-campaign}, the embedded durable server started and stopped by the command.
 */
@Tag("docker")
@Tag("temporal")
@ExtendWith(DockerExtension.class)
class QuickstartIT {

  private static final Duration LIMIT = Duration.ofMinutes(5);

  private final Path repo = DockerExtension.repoRoot();

  @Test
  void theReadmeQuickstartRunsOnTheEmbeddedServerAndItsStateSurvivesTheCommand(
      DockerClient docker, @TempDir Path tmp) throws Exception {
    assertTrue(
        DevServerProcess.findBinary().isPresent(),
        "the temporal CLI must be installed for this test");
    assertFalse(
        DevServerProcess.isListening(7233),
        "something already listens on 127.0.0.1:7233; stop it first");
    Path results = tmp.resolve("results");
    Map<String, String> env = Map.of("LLEM_HOME", tmp.resolve("home").toString());

    CliProcess.Result first =
        CliProcess.run(
            repo,
            env,
            LIMIT,
            "run",
            "examples/quickstart.yaml",
            "--inventory",
            "examples/inventories/sim-4gpu-idle",
            "--results",
            results.toString());
    assertEquals(0, first.exitCode(), first.output());
    assertTrue(first.output().contains("SIMULATED GPUs"), first.output());
    assertTrue(first.output().contains("Starting the embedded Temporal server"), first.output());
    assertTrue(
        first
            .output()
            .contains(
                "Web UI: http://127.0.0.1:8233/namespaces/default/workflows/campaign%2Fquickstart"),
        first.output());
    assertTrue(
        first.output().contains("6 completed, 0 failed, 0 skipped of 6 runs"), first.output());
    assertTrue(
        Files.size(tmp.resolve("home/temporal.db")) > 0,
        "the server's SQLite file is under LLEM_HOME");
    assertFalse(DevServerProcess.isListening(7233), "the embedded server stops with the command");
    assertEquals(
        0,
        DockerExtension.removeContainersLabelled(docker, "llem.campaign=quickstart"),
        "containers left");

    // A second command finds the campaign in the same file: ended, never run again.
    CliProcess.Result second =
        CliProcess.run(
            repo,
            env,
            LIMIT,
            "run",
            "examples/quickstart.yaml",
            "--inventory",
            "examples/inventories/sim-4gpu-idle",
            "--results",
            results.toString());
    assertEquals(0, second.exitCode(), second.output());
    assertTrue(second.output().contains("already ended"), second.output());
    long ledgerLines =
        Files.readAllLines(results.resolve("quickstart/ledger.jsonl")).stream()
            .filter(l -> !l.isBlank())
            .count();
    assertEquals(6, ledgerLines, "no run was measured twice");

    CliProcess.Result json =
        CliProcess.run(
            repo, env, LIMIT, "results", "quickstart", "--json", "--results", results.toString());
    assertEquals(0, json.exitCode(), json.output());
    JsonNode out = new ObjectMapper().readTree(json.output().substring(json.output().indexOf('{')));
    assertEquals("quickstart", out.get("campaign").asText());
    assertEquals(6, out.get("runs").size());
    for (JsonNode run : out.get("runs")) {
      assertEquals("completed", run.get("status").asText());
      assertEquals(run.get("routing").get("uuids"), run.get("verifiedUuids"));
    }

    // run recorded the plan hash beside the ledger; the report shows it without a server.
    String hash = CampaignLoader.load(repo.resolve("examples/quickstart.yaml")).plan().hash();
    JsonNode record =
        new ObjectMapper().readTree(results.resolve("quickstart/campaign.json").toFile());
    assertEquals(hash, record.get("planHash").asText());
    CliProcess.Result report =
        CliProcess.run(repo, env, LIMIT, "report", "quickstart", "--results", results.toString());
    assertEquals(0, report.exitCode(), report.output());
    String html = Files.readString(results.resolve("quickstart/report/report.html"));
    assertTrue(html.contains(hash), "the report names the campaign file's hash");
    assertTrue(Files.size(results.resolve("quickstart/report/timeline.png")) > 0);
  }

  @Test
  void withoutTheTemporalCliItFallsBackToAnInProcessServerAndSaysSo(@TempDir Path tmp)
      throws Exception {
    assertFalse(
        DevServerProcess.isListening(7233),
        "something already listens on 127.0.0.1:7233; stop it first");
    Path campaign = tmp.resolve("fallback.yaml");
    Files.writeString(
        campaign,
        String.join(
            "\n",
            "campaign: fallback",
            "experiments:",
            "  - name: one",
            "    image: 'llem-probe:dev'",
            "    gpus: [0]",
            "    command: [sh, -c, 'echo {} > /results/result.json']",
            ""));
    CliProcess.Result result =
        CliProcess.run(
            repo,
            Map.of(
                "LLEM_HOME",
                tmp.resolve("home").toString(),
                "PATH",
                CliProcess.pathWithoutTemporal(),
                "TEMPORAL_CLI",
                ""),
            LIMIT,
            "run",
            campaign.toString(),
            "--inventory",
            "examples/inventories/h200-1gpu",
            "--results",
            tmp.resolve("results").toString());
    assertEquals(0, result.exitCode(), result.output());
    assertTrue(result.output().contains("will NOT survive a restart"), result.output());
    assertTrue(result.output().contains("1 completed, 0 failed"), result.output());
    assertFalse(Files.exists(tmp.resolve("home/temporal.db")), "no durable server was started");
  }

  @Test
  void theLauncherSaysHowToBuildWhenTheJarIsMissing(@TempDir Path tmp) throws Exception {
    Path fakeRepo = tmp.resolve("checkout");
    Files.createDirectories(fakeRepo.resolve("bin"));
    Files.copy(repo.resolve("bin/llem-campaign"), fakeRepo.resolve("bin/llem-campaign"));
    fakeRepo.resolve("bin/llem-campaign").toFile().setExecutable(true);
    CliProcess.Result result = CliProcess.run(fakeRepo, Map.of(), Duration.ofSeconds(30), "--help");
    assertEquals(3, result.exitCode(), result.output());
    assertTrue(result.output().contains("./mvnw -B -q -DskipTests package"), result.output());
  }
}
