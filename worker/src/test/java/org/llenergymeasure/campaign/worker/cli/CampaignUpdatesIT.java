package org.llenergymeasure.campaign.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.llenergymeasure.campaign.worker.cli.CampaignCommandsTest.eventually;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * pause, resume, skip and retry-failed through the CLI against the campaign workflow's updates
 * (CampaignWorkflow @UpdateMethod pause, resume, skip(runId), retryFailed). Named *IT so that
 * surefire's unit run does not include them.
 */
@Tag("docker")
@Tag("temporal")
@ExtendWith(DockerExtension.class)
class CampaignUpdatesIT {

  private static final String HOST = "updates-host";

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  private final Path inventory =
      DockerExtension.repoRoot().resolve("examples/inventories/sim-4gpu-idle");

  private String[] args(String... command) {
    List<String> all = new ArrayList<>(List.of(command));
    all.add("--temporal");
    all.add(temporal.address());
    return all.toArray(String[]::new);
  }

  @Test
  void pauseStopsNewRunsResumeContinuesSkipAndRetryFailedChangeTheCounts(
      DockerClient docker, @TempDir Path tmp) throws Exception {
    LoadedCampaign loaded =
        CampaignLoader.parse(
            String.join(
                "\n",
                "campaign: cli-updates",
                "defaults: {image: 'llem-probe:dev', timeout: 2m}",
                "experiments:",
                "  - name: first",
                "    gpus: [0]",
                "    command: [sh, -c, 'sleep 6; echo {} > /results/result.json']",
                "  - name: broken",
                "    gpus: [1]",
                "    command: [sh, -c, 'exit 3']",
                "  - name: skipped",
                "    gpus: [2]",
                "    command: [sh, -c, 'echo {} > /results/result.json']",
                ""),
            "cli-updates.yaml");
    WorkflowClient client = temporal.client();
    try (HostRuntime runtime =
            HostRuntime.open(
                HOST, tmp.resolve("results"), inventory, new LlemHome(tmp.resolve("home")));
        WorkerHost worker = new WorkerHost(client, HOST, runtime.activities(), 1).start()) {
      CampaignStarter.Started started =
          new CampaignStarter(client).startOrAttach(loaded, List.of(HOST));
      eventually(
          () -> CliRun.of(args("status", "cli-updates", "--json")),
          r -> r.exit() == 0 && r.json().get("running").size() == 1,
          Duration.ofSeconds(60));

      CliRun pause = CliRun.of(args("pause", "cli-updates", "--json"));
      assertEquals(0, pause.exit(), pause.err());
      assertTrue(pause.json().get("ok").asBoolean());
      CliRun pauseAgain = CliRun.of(args("pause", "cli-updates"));
      assertEquals(
          2, pauseAgain.exit(), "pausing a paused campaign is refused: " + pauseAgain.err());

      CliRun skip = CliRun.of(args("skip", "cli-updates", "skipped.c1", "--json"));
      assertEquals(0, skip.exit(), skip.err());

      // Paused: the first run finishes, no other starts.
      JsonNode paused =
          eventually(
                  () -> CliRun.of(args("status", "cli-updates", "--json")),
                  r -> r.exit() == 0 && r.json().get("completed").asLong() == 1,
                  Duration.ofSeconds(60))
              .json();
      assertEquals("paused", paused.get("state").asText());
      assertEquals(1, paused.get("skipped").asLong());
      Thread.sleep(3000);
      assertEquals(
          0, CliRun.of(args("status", "cli-updates", "--json")).json().get("running").size());

      assertEquals(0, CliRun.of(args("resume", "cli-updates")).exit());
      JsonNode afterFailure =
          eventually(
                  () -> CliRun.of(args("status", "cli-updates", "--json")),
                  r -> r.exit() == 0 && r.json().get("failed").asLong() == 1,
                  Duration.ofSeconds(60))
              .json();
      assertEquals("ExitNonZero", afterFailure.get("recentFailures").get(0).get("type").asText());

      CliRun retry = CliRun.of(args("retry-failed", "cli-updates", "--json"));
      // The campaign may have ended already; then retry-failed is refused as ended (exit 2).
      assertTrue(retry.exit() == 0 || retry.err().contains("already ended"), retry.err());

      ProgressFollower.Ending ending =
          new ProgressFollower(client, s -> {}, Duration.ofMillis(200), p -> {})
              .follow(started.workflowId());
      assertEquals(1, ending.progress().completed());
      assertEquals(1, ending.progress().skipped());
    }
    DockerExtension.removeContainersLabelled(docker, "llem.campaign=cli-updates");
  }
}
