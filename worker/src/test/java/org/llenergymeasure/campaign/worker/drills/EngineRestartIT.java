package org.llenergymeasure.campaign.worker.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
 * Drill 3: the Docker engine restarted mid-run. So that other work on the machine keeps its engine,
 * the drill runs a private dockerd of its own (own socket, data and exec roots, started the way
 * .ci/run starts the main one) and points the worker at it with DOCKER_HOST. The engine is stopped
 * while a run is in its container (which stops the container: no live-restore) and started again.
 * The run must be re-attached or measured again as a new attempt, every attempt recorded once and
 * typed, the campaign completed, no container left.
 */
class EngineRestartIT {

  private static final String CAMPAIGN = "drill-engine";
  private static final String BRIDGE = "llem-dd0";

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  @TempDir static Path tmp;
  private static Path root;
  private static Process dockerd;

  @BeforeAll
  static void startPrivateEngine() throws Exception {
    // Unix socket paths are limited to ~108 bytes: keep the root short.
    root = Files.createTempDirectory(Path.of("/tmp"), "llem-dd-");
    // A bridge of its own: with --bridge=none a second dockerd deletes the main engine's docker0.
    if (new ProcessBuilder("ip", "link", "show", BRIDGE).start().waitFor() != 0) {
      exec("ip", "link", "add", BRIDGE, "type", "bridge");
      exec("ip", "addr", "add", "172.31.250.1/24", "dev", BRIDGE);
    }
    exec("ip", "link", "set", BRIDGE, "up");
    dockerd = startEngine();
    // The probe image, from the main engine into the private one.
    exec(
        "sh",
        "-c",
        "docker save " + DockerExtension.PROBE_IMAGE + " | docker -H " + host() + " load");
  }

  @AfterAll
  static void stopPrivateEngine() throws Exception {
    stopEngine();
    exec("rm", "-rf", root.toString());
    exec("ip", "link", "del", BRIDGE);
  }

  private static String host() {
    return "unix://" + root.resolve("docker.sock");
  }

  private static Process startEngine() throws Exception {
    Process p =
        new ProcessBuilder(
                "dockerd",
                "-H",
                host(),
                "--data-root",
                root.resolve("data").toString(),
                "--exec-root",
                root.resolve("exec").toString(),
                "--pidfile",
                root.resolve("docker.pid").toString(),
                "--iptables=false",
                "--ip-masq=false",
                "--bridge=" + BRIDGE)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("dockerd.log").toFile()))
            .start();
    for (int i = 0; i < 60; i++) {
      if (new ProcessBuilder("docker", "-H", host(), "info").start().waitFor() == 0) {
        return p;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "the private dockerd did not start: " + Files.readString(root.resolve("dockerd.log")));
  }

  /** SIGTERM, as a service manager restarting the engine does; it stops the containers. */
  private static void stopEngine() throws Exception {
    if (dockerd != null && dockerd.isAlive()) {
      dockerd.destroy();
      if (!dockerd.waitFor(60, TimeUnit.SECONDS)) {
        dockerd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void anEngineRestartMidRunLosesNothingAndRecordsNothingTwice() throws Exception {
    Path results = tmp.resolve("results");
    String yaml =
        String.join(
            "\n",
            "campaign: " + CAMPAIGN,
            "defaults:",
            "  image: 'llem-probe:dev'",
            "  timeout: 2m",
            "  network: none",
            "  retries: 2",
            "  command: [sh, -c, 'sleep 6; printf \"{\\\"ok\\\": 1}\" > /results/result.json']",
            "experiments:",
            "  - {name: one, gpus: [0]}",
            "  - {name: two, gpus: [1]}",
            "execution: {order: grouped}",
            "");
    Map<String, String> env = new HashMap<>();
    env.put("DOCKER_HOST", host());
    Process worker =
        DrillKit.worker(
            temporal.address(),
            "drill-engine-host",
            DockerExtension.repoRoot().resolve("examples/inventories/sim-4gpu-idle"),
            results,
            tmp.resolve("home"),
            env,
            tmp.resolve("worker.log"));
    try (DockerClient docker =
        DockerExtension.connect(
            DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host())
                .build())) {
      WorkflowClient client = temporal.client();
      String id =
          new CampaignStarter(client)
              .startOrAttach(
                  CampaignLoader.parse(yaml, CAMPAIGN + ".yaml"), List.of("drill-engine-host"))
              .workflowId();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (!DrillKit.startedActivities(client, id + "/one.c1").contains("Await")) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "run one never reached await: " + Files.readString(tmp.resolve("worker.log")));
        }
        Thread.sleep(100);
      }
      Thread.sleep(1500);
      stopEngine();
      Thread.sleep(3000);
      dockerd = startEngine();

      CampaignProgress end =
          WorkflowStub.fromTyped(client.newWorkflowStub(CampaignWorkflow.class, id))
              .getResult(5, TimeUnit.MINUTES, CampaignProgress.class);
      List<LedgerEntry> ledger = RunLedger.of(results, CAMPAIGN).read();
      DrillKit.stop(worker);
      int left = DockerExtension.removeContainersLabelled(docker, "llem.campaign=" + CAMPAIGN);
      int lost = DrillKit.runsLost(List.of("one.c1", "two.c1"), ledger);
      int twice = DrillKit.recordedTwice(ledger);
      Figures.report(
          new Figures.Report("3. Docker engine restarted mid-run", 1, lost, twice, left, 0, 0));

      assertEquals(CampaignStatus.COMPLETED, end.state(), end.toString());
      assertEquals(0, lost);
      assertEquals(0, twice, ledger.toString());
      assertEquals(0, left);
      for (String run : List.of("one.c1", "two.c1")) {
        List<LedgerEntry> attempts = ledger.stream().filter(e -> e.runId().equals(run)).toList();
        LedgerEntry last = attempts.get(attempts.size() - 1);
        assertEquals("completed", last.status(), "the run was measured in the end: " + attempts);
        for (LedgerEntry e : attempts.subList(0, attempts.size() - 1)) {
          assertEquals("failed", e.status(), e.toString());
          assertNotNull(e.error().type(), "an interrupted attempt is typed: " + e);
        }
      }
    } finally {
      worker.destroyForcibly();
    }
  }

  private static void exec(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new AssertionError(String.join(" ", command) + ": " + out);
    }
  }
}
