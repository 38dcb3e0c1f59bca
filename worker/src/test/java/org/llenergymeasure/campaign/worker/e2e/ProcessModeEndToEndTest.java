package org.llenergymeasure.campaign.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.sdk.v1.WorkflowMetadata;
import io.temporal.client.WorkflowClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.ledger.RunLedger;
import org.llenergymeasure.campaign.activities.process.ProcessOptions;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.worker.LlemHome;
import org.llenergymeasure.campaign.worker.campaign.CampaignStarter;
import org.llenergymeasure.campaign.worker.campaign.ProgressFollower;
import org.llenergymeasure.campaign.worker.campaign.RunHeartbeats;
import org.llenergymeasure.campaign.worker.host.HostRuntime;
import org.llenergymeasure.campaign.worker.host.WorkerHost;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;
import org.llenergymeasure.campaign.workflows.run.ExperimentWorkflow;

/**
 * Attach mode process end to end: a real Temporal dev server, a worker in this JVM, runs as local
 * processes (no Docker) on a simulated host, whose GPU check is the test image's simulated CUDA
 * view run on this machine: it applies CUDA_VISIBLE_DEVICES to the inventory on its own.
 */
@Tag("temporal")
@Tag("process")
class ProcessModeEndToEndTest {

  private static final String HOST = "e2e-proc-host";

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  private final Path repo = DockerExtension.repoRoot();
  private final Path inventory = repo.resolve("examples/inventories/sim-4gpu-idle");
  private final Path sim = repo.resolve("images/llem-probe/rootfs/usr/lib/llem-sim");

  /** The event lines `run` prints while following the campaign. */
  private final List<String> lines = new CopyOnWriteArrayList<>();

  @Test
  void processRunsSeeExactlyTheirGpusWriteResultsInTheirFolderAndLeaveNothing(@TempDir Path tmp)
      throws Exception {
    String write =
        "echo \"cvd=$CUDA_VISIBLE_DEVICES\"; printf '{\"total_energy_j\": 1.5, \"cvd\": \"%s\", \"cwd\": \"%s\"}' "
            + "\"$CUDA_VISIBLE_DEVICES\" \"$(pwd)\" > \"$LLEM_RESULTS_DIR/result.json\"; echo done";
    LoadedCampaign loaded =
        CampaignLoader.parse(
            String.join(
                "\n",
                "campaign: e2e-process",
                "attach: process",
                "defaults: {image: 'unused-in-process-mode:1', timeout: 2m, silenceTimeout: 1m}",
                "experiments:",
                "  - name: single",
                "    gpus: [0]",
                "    command: [sh, -c, '" + write.replace("'", "''") + "']",
                "  - name: pair",
                "    gpus: [2, 1]",
                "    busy: ignore",
                "    command: [sh, -c, '" + write.replace("'", "''") + "']",
                "  - name: broken",
                "    gpus: [3]",
                "    retries: 1",
                "    command: [sh, -c, 'echo failing on purpose; exit 3']",
                ""),
            "e2e-process.yaml");
    Path results = tmp.resolve("results");

    ProgressFollower.Ending ending = runToEnd(loaded, results, tmp);

    assertEquals(ExitCodes.RUNS_FAILED, ending.exitCode(), "campaign ending: " + ending);
    assertEquals(2, ending.progress().completed());
    assertEquals(1, ending.progress().failed());
    // One event line per finished run, naming it: its time from the ledger line, the energy its
    // result reported (1.5 J); the failure with its type.
    Pattern single =
        Pattern.compile("\\[\\d/3\\] ✓ single\\.c1 completed in \\d+\\.\\d s, 1\\.50 J.*");
    assertTrue(lines.stream().anyMatch(l -> single.matcher(l).matches()), "lines: " + lines);
    assertTrue(
        lines.stream().anyMatch(l -> l.matches("\\[\\d/3\\] ✓ pair\\.c1 completed in .*")),
        "lines: " + lines);
    assertTrue(
        lines.stream()
            .anyMatch(l -> l.matches("\\[\\d/3\\] ✗ broken\\.c1 failed: ExitNonZero: .*")),
        "lines: " + lines);
    assertTrue(lines.stream().noneMatch(l -> l.contains("run completed")), "lines: " + lines);
    Map<Integer, String> uuids = InventoryFile.uuidsByIndex(inventory);
    Map<String, List<String>> expected =
        Map.of("single", List.of(uuids.get(0)), "pair", List.of(uuids.get(1), uuids.get(2)));
    List<LedgerEntry> ledger = RunLedger.of(results, "e2e-process").read();
    assertEquals(4, ledger.size(), "one line per attempt: " + ledger);
    List<String> tokens = new ArrayList<>();
    for (LedgerEntry run : ledger) {
      Path attempt =
          results.resolve("e2e-process").resolve(run.runId()).resolve("a" + run.attempt());
      tokens.add(token(attempt));
      assertFalse(Files.exists(attempt.resolve("output.raw")), "raw output removed by cleanup");
      assertEquals(HOST, run.host());
      if (run.experiment().equals("broken")) {
        assertEquals("failed", run.status());
        assertEquals("ExitNonZero", run.error().type());
        assertTrue(run.error().message().contains("failing on purpose"), run.error().message());
        continue;
      }
      List<String> want = expected.get(run.experiment());
      assertEquals("completed", run.status(), run.toString());
      assertEquals(1, run.attempt());
      assertNull(run.error());
      assertEquals(want, run.routing().uuids(), "routed GPUs of " + run.runId());
      assertEquals(want, run.verifiedUuids(), "GPUs the run's CUDA view saw, " + run.runId());
      // A local process gets the host UUIDs themselves, never indices, and no container variable.
      assertEquals(String.join(",", want), run.routing().env().get("CUDA_VISIBLE_DEVICES"));
      assertFalse(run.routing().env().containsKey("NVIDIA_VISIBLE_DEVICES"));
      assertEquals(
          String.join(",", want), run.result().get("cvd").asText(), "what the process itself saw");
      assertEquals(
          attempt.resolve("out").toRealPath().toString(), run.result().get("cwd").asText());
      assertTrue(
          Files.readString(attempt.resolve("log.txt")).contains("cvd=" + String.join(",", want)));
      assertTrue(Files.readString(attempt.resolve("probe.txt")).contains(want.get(0)));
    }
    assertEquals(
        List.of(1, 2),
        ledger.stream()
            .filter(e -> e.experiment().equals("broken"))
            .map(LedgerEntry::attempt)
            .toList());
    assertEquals(List.of(), processesCarrying(tokens), "processes of the campaign left behind");
  }

  /**
   * A process run printing a progress event (printf, as a workload of one's own may): its step
   * reaches the await's heartbeat (what status reads) and, by signal, the run's page in the Web UI.
   */
  @Test
  void aProcessRunsProgressEventIsItsStepInItsHeartbeatAndOnItsPage(@TempDir Path tmp)
      throws Exception {
    String script =
        "printf '%s\\n' '{\"event\": \"step_update\", \"step\": \"warmup\", \"detail\":"
            + " \"12/50 prompts\"}'; echo plain after it; sleep 12;"
            + " echo '{\"total_energy_j\": 1}' > \"$LLEM_RESULTS_DIR/result.json\"";
    LoadedCampaign loaded =
        CampaignLoader.parse(
            String.join(
                "\n",
                "campaign: e2e-process-step",
                "attach: process",
                "defaults: {image: 'unused-in-process-mode:1', timeout: 2m}",
                "experiments:",
                "  - name: steps",
                "    gpus: [0]",
                "    command: [sh, -c, '" + script.replace("'", "''") + "']",
                ""),
            "e2e-process-step.yaml");
    String[] seen = new String[2];
    ProgressFollower.Ending ending =
        runToEnd(
            loaded,
            tmp.resolve("results"),
            tmp,
            client -> {
              RunHeartbeats heartbeats = new RunHeartbeats(client);
              String page = ExperimentWorkflow.workflowId("e2e-process-step", "steps.c1");
              long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
              while ((seen[0] == null || !seen[1].contains("warmup: 12/50 prompts"))
                  && System.nanoTime() < until) {
                Thread.sleep(200);
                seen[0] = heartbeats.view("e2e-process-step", "steps.c1").step();
                seen[1] = currentDetails(client, page);
              }
            });
    assertEquals(1, ending.progress().completed(), "campaign ending: " + ending);
    assertEquals("warmup: 12/50 prompts", seen[0], "the heartbeated step");
    assertTrue(seen[1].contains("| warmup: 12/50 prompts |"), "the run's page: " + seen[1]);
  }

  /** A workflow's current details, through the SDK's metadata query (as the Web UI reads them). */
  private static String currentDetails(WorkflowClient client, String workflowId) {
    try {
      return client
          .newUntypedWorkflowStub(workflowId)
          .query("__temporal_workflow_metadata", WorkflowMetadata.class)
          .getCurrentDetails();
    } catch (RuntimeException notYet) {
      return "";
    }
  }

  /** Something done while the campaign runs, before its end is awaited. */
  @FunctionalInterface
  private interface WhileRunning {
    void accept(WorkflowClient client) throws Exception;
  }

  private ProgressFollower.Ending runToEnd(LoadedCampaign loaded, Path results, Path tmp)
      throws Exception {
    return runToEnd(loaded, results, tmp, client -> {});
  }

  private ProgressFollower.Ending runToEnd(
      LoadedCampaign loaded, Path results, Path tmp, WhileRunning whileRunning) throws Exception {
    WorkflowClient client = temporal.client();
    lines.clear();
    ProcessOptions process =
        ProcessOptions.defaults()
            .withPollInterval(Duration.ofMillis(200))
            .withCudaView(
                List.of(
                    "env",
                    "NVIDIA_VISIBLE_DEVICES=all",
                    "LLEM_SIM_INVENTORY=" + inventory,
                    "awk",
                    "-f",
                    sim.resolve("resolve.awk").toString(),
                    "-f",
                    sim.resolve("cuda-view.awk").toString(),
                    "--"));
    try (HostRuntime runtime =
            HostRuntime.open(
                HOST,
                results,
                inventory,
                new LlemHome(tmp.resolve("home")),
                new HostRuntime.Options(false, process));
        WorkerHost worker = new WorkerHost(client, HOST, runtime.activities(), 2).start()) {
      CampaignStarter.Started started =
          new CampaignStarter(client).startOrAttach(loaded, List.of(HOST));
      assertTrue(started.started());
      whileRunning.accept(client);
      return new ProgressFollower(
              client,
              lines::add,
              Duration.ofMillis(200),
              p -> {},
              RunLedger.of(results, loaded.campaign().name()).file())
          .follow(started.workflowId());
    }
  }

  private static String token(Path attempt) throws Exception {
    Matcher m =
        Pattern.compile("\"token\"\\s*:\\s*\"([0-9a-f]+)\"")
            .matcher(Files.readString(attempt.resolve("process.json")));
    assertTrue(m.find(), "process.json of " + attempt);
    return m.group(1);
  }

  /** Live processes whose environment holds one of the runs' LLEM_RUN_TOKENs, from /proc. */
  private static List<Long> processesCarrying(List<String> tokens) throws Exception {
    List<Long> found = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path d : dirs) {
        try {
          String stat = Files.readString(d.resolve("stat"));
          if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
            continue;
          }
          String environ =
              "\0" + new String(Files.readAllBytes(d.resolve("environ")), StandardCharsets.UTF_8);
          for (String t : tokens) {
            if (environ.contains("\0LLEM_RUN_TOKEN=" + t + "\0")) {
              found.add(Long.parseLong(d.getFileName().toString()));
            }
          }
        } catch (java.io.IOException | RuntimeException e) {
          // Gone meanwhile, or not ours to read.
        }
      }
    }
    return found;
  }
}
