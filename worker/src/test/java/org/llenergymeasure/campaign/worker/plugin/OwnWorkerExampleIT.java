package org.llenergymeasure.campaign.worker.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.history.v1.HistoryEvent;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.ledger.RunLedger;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;

/**
 * examples/own-worker as a team would use it: built as a separate Maven project against the
 * installed llem-campaign-plugin artifact (from the local repository this build installs into; what
 * else it needs the way a team's build gets it: the example's own dependency versions resolve apart
 * from this reactor's pins, so they may not be in the local repository yet), then its worker
 * started as a process of its own on a real dev server. Its NightlyBenchmark workflow reads the
 * campaign file with its own activity, starts the campaign as a child workflow (ParentClosePolicy
 * ABANDON) through the plugin, runs both runs in llem-probe:dev on the simulated 4-GPU host, and
 * acts on the result (a PUBLISH line in its notes).
 *
 * <p>It needs the artifact installed: it runs in {@code ./mvnw -B install} (README's test command),
 * where the plugin module is installed before this module's integration tests.
 */
@Tag("docker")
@Tag("temporal")
@ExtendWith(DockerExtension.class)
class OwnWorkerExampleIT {

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  private final Path repo = DockerExtension.repoRoot();
  private final String suffix = Long.toString(System.nanoTime() % 100_000, 36);

  @Test
  void aTeamsOwnWorkerRunsACampaignAsAChildOfItsWorkflowThroughThePlugin(
      DockerClient docker, @TempDir Path tmp) throws Exception {
    String localRepository = System.getProperty("llem.m2");
    List<String> build = new ArrayList<>(List.of(repo.resolve("mvnw").toString(), "-B", "-q"));
    if (localRepository != null && !localRepository.isBlank()) {
      build.add("-Dmaven.repo.local=" + localRepository);
    }
    build.addAll(List.of("-f", "examples/own-worker/pom.xml", "-DskipTests", "package"));
    Result built = run(build, tmp.resolve("build.log"), 300);
    assertEquals(0, built.exit(), "building examples/own-worker:\n" + built.output());
    Path jar = repo.resolve("examples/own-worker/target/own-worker.jar");
    assertTrue(Files.isRegularFile(jar), jar.toString());

    String name = "nightly-" + suffix;
    Path campaign = tmp.resolve(name + ".yaml");
    Files.writeString(
        campaign,
        Files.readString(repo.resolve("examples/own-worker/nightly.yaml"))
            .replace("campaign: nightly\n", "campaign: " + name + "\n"));
    Path results = tmp.resolve("results");
    Path notes = tmp.resolve("notes.txt");
    String parentId = "nightly-benchmark-" + suffix;
    List<String> worker =
        List.of(
            javaBinary(),
            "-jar",
            jar.toString(),
            "--address",
            temporal.address(),
            "--host-id",
            "own-" + suffix,
            "--results",
            results.toString(),
            "--inventory",
            repo.resolve("examples/inventories/sim-4gpu-idle").toString(),
            "--campaign",
            campaign.toString(),
            "--notes",
            notes.toString(),
            "--workflow-id",
            parentId);
    Result ran;
    try {
      ran =
          run(worker, tmp.resolve("worker.log"), 300, "LLEM_HOME", tmp.resolve("home").toString());
    } finally {
      DockerExtension.removeContainersLabelled(docker, "llem.campaign=" + name);
    }
    String outcome = "campaign " + name + " completed: 2 completed, 0 failed of 2 runs";
    assertEquals(0, ran.exit(), ran.output());
    assertTrue(
        ran.output().contains("nightly benchmark " + parentId + ": " + outcome), ran.output());
    // It acted on the result.
    assertEquals("PUBLISH " + outcome + "\n", Files.readString(notes));
    assertEquals(2, RunLedger.of(results, name).read().size());
    // The campaign was the parent's child, abandoned on the parent's close.
    HistoryEvent initiated =
        temporal.client().fetchHistory(parentId).getEvents().stream()
            .filter(
                e ->
                    e.getEventType()
                        == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED)
            .findFirst()
            .orElseThrow();
    var child = initiated.getStartChildWorkflowExecutionInitiatedEventAttributes();
    assertEquals("campaign/" + name, child.getWorkflowId());
    assertEquals("llem-campaigns", child.getTaskQueue().getName());
    assertEquals(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON, child.getParentClosePolicy());
  }

  private record Result(int exit, String output) {}

  private Result run(List<String> command, Path log, long seconds, String... env) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    for (int i = 0; i + 1 < env.length; i += 2) {
      pb.environment().put(env[i], env[i + 1]);
    }
    Process p = pb.start();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      return new Result(-1, "timed out after " + seconds + " s:\n" + read(log));
    }
    return new Result(p.exitValue(), read(log));
  }

  private static String read(Path log) throws java.io.IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  private static String javaBinary() {
    return Path.of(
            System.getProperty("java.home"),
            "bin",
            "java" + (File.separatorChar == '\\' ? ".exe" : ""))
        .toString();
  }
}
