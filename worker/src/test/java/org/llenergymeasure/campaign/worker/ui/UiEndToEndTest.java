package org.llenergymeasure.campaign.worker.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.process.ProcessOptions;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.worker.LlemHome;
import org.llenergymeasure.campaign.worker.campaign.CampaignRecord;
import org.llenergymeasure.campaign.worker.campaign.CampaignStarter;
import org.llenergymeasure.campaign.worker.campaign.ProgressFollower;
import org.llenergymeasure.campaign.worker.cli.Main;
import org.llenergymeasure.campaign.worker.e2e.InventoryFile;
import org.llenergymeasure.campaign.worker.host.HostRuntime;
import org.llenergymeasure.campaign.worker.host.WorkerHost;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;
import org.llenergymeasure.campaign.workflows.LlemSearchAttributes;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflow;

/**
 * What a user checks in the Temporal Web UI while a campaign runs, in a real headless Chromium
 * (Debian's, driven by playwright-core): a real dev server with its UI, a worker in this JVM, a
 * small process-mode campaign on a simulated host with one failing run and one run held running
 * until the browser has looked. Then the campaign's HTML report, rendered in the same browser.
 *
 * <p>Screenshots (list, campaign page, live and failed run pages, report) are kept in {@code
 * worker/target/ui-screenshots/}. Maven profile {@code -Pui} only; .ci/run runs it.
 */
@Tag("ui")
class UiEndToEndTest {

  private static final String HOST = "ui-host";
  private static final String CAMPAIGN = "ui-e2e";
  private static final Duration WAIT = Duration.ofSeconds(90);

  @RegisterExtension
  static final TemporalDevServerExtension temporal = TemporalDevServerExtension.withWebUi();

  private final Path repo = DockerExtension.repoRoot();
  private final Path inventory = repo.resolve("examples/inventories/sim-4gpu-idle");
  private final Path sim = repo.resolve("images/llem-probe/rootfs/usr/lib/llem-sim");
  private final Path screenshots = repo.resolve("worker/target/ui-screenshots");

  @Test
  void theWebUiShowsTheCampaignLiveAndTheReportRenders(@TempDir Path tmp) throws Exception {
    NodeScript.requireTools();
    Files.createDirectories(screenshots);
    Path release = tmp.resolve("release");
    LoadedCampaign loaded = campaign(release);
    Path results = tmp.resolve("results");
    WorkflowClient client = temporal.client();
    String unrelated = startUnrelatedWorkflow(client);
    Map<Integer, String> uuids = InventoryFile.uuidsByIndex(inventory);

    try (HostRuntime runtime =
            HostRuntime.open(
                HOST,
                results,
                inventory,
                new LlemHome(tmp.resolve("home")),
                new HostRuntime.Options(false, processOptions()));
        WorkerHost worker = new WorkerHost(client, HOST, runtime.activities(), 1).start()) {
      CampaignStarter.Started started =
          new CampaignStarter(client).startOrAttach(loaded, List.of(HOST));
      assertTrue(started.started());
      // What `run` writes at start, so the report knows the plan hash.
      new CampaignRecord(
              CAMPAIGN,
              loaded.plan().hash(),
              tmp.resolve("ui-e2e.yaml").toString(),
              Instant.now().toString())
          .writeIfAbsent(results);
      FutureTask<ProgressFollower.Ending> ending =
          new FutureTask<>(
              () ->
                  new ProgressFollower(client, line -> {}, Duration.ofMillis(200), p -> {})
                      .follow(started.workflowId()));
      new Thread(ending, "follow-" + CAMPAIGN).start();

      NodeScript.Outcome ui;
      try {
        awaitSlowRunAwaiting(client);
        ui =
            NodeScript.run(
                Duration.ofMinutes(4),
                "ui-check.mjs",
                temporal.webUiBaseUrl(),
                CAMPAIGN,
                screenshots.toString(),
                "--failed",
                "broken.c1",
                "--live",
                "slow.c1");
      } finally {
        // Whatever happened, let slow.c1 end: its process must not outlive the test.
        Files.createFile(release);
      }
      ProgressFollower.Ending end = ending.get(WAIT.toSeconds(), TimeUnit.SECONDS);

      assertEquals(0, ui.exitCode(), "ui-check.mjs failed:\n" + ui.stderr() + "\n" + ui.stdout());
      JsonNode found = ui.json();
      assertNotNull(found, "ui-check.mjs printed no JSON:\n" + ui.stdout());
      checkList(found.get("list"), unrelated);
      checkCampaignPage(found.get("campaign"), loaded);
      checkLiveRun(found.get("liveRun"));
      checkFailedRun(found.get("failedRun"));
      for (String png :
          List.of(
              "list.png",
              "campaign.png",
              "campaign-timeline.png",
              "campaign-relationships.png",
              "campaign-query.png",
              "run-live.png",
              "run-failed.png",
              "run-failed-metadata.png")) {
        assertScreenshot(screenshots.resolve(png));
      }

      assertEquals(ExitCodes.RUNS_FAILED, end.exitCode(), "campaign ending: " + end);
      assertEquals(2, end.progress().completed());
      assertEquals(1, end.progress().failed());
    }

    checkReport(results, loaded, uuids);
  }

  // ---- the campaign

  /**
   * ok writes a result with energy and tokens, broken exits 3, slow runs until `release` exists.
   */
  private LoadedCampaign campaign(Path release) throws Exception {
    String ok =
        "echo measuring; printf '{\"total_energy_j\": 120, \"total_tokens\": 1000, \"avg_tokens_per_second\": 50,"
            + " \"simulated\": true}' > \"$LLEM_RESULTS_DIR/result.json\"";
    String slow =
        "while [ ! -e '"
            + release
            + "' ]; do echo waiting; sleep 0.5; done;"
            + " printf '{\"total_energy_j\": 80}' > \"$LLEM_RESULTS_DIR/result.json\"";
    return CampaignLoader.parse(
        String.join(
            "\n",
            "campaign: " + CAMPAIGN,
            "description: 'UI test: one run completes, one fails, one waits for the browser'",
            "attach: process",
            "defaults: {image: 'unused-in-process-mode:1', timeout: 10m, silenceTimeout: 2m}",
            "experiments:",
            "  - name: ok",
            "    gpus: [0]",
            "    command: [sh, -c, '" + ok.replace("'", "''") + "']",
            "  - name: broken",
            "    gpus: [1]",
            "    command: [sh, -c, 'echo failing on purpose; exit 3']",
            "  - name: slow",
            "    gpus: [2]",
            "    command: [sh, -c, '" + slow.replace("'", "''") + "']",
            ""),
        "ui-e2e.yaml");
  }

  private ProcessOptions processOptions() {
    return ProcessOptions.defaults()
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
  }

  /**
   * A workflow of another campaign that the filtered list must not show. No worker polls its task
   * queue, so it just stays running.
   */
  private static String startUnrelatedWorkflow(WorkflowClient client) {
    String id = "campaign/ui-other";
    client
        .newUntypedWorkflowStub(
            "CampaignWorkflow",
            WorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue("llem-ui-test-nobody-polls")
                .setTypedSearchAttributes(
                    SearchAttributes.newBuilder()
                        .set(LlemSearchAttributes.CAMPAIGN, "ui-other")
                        .build())
                .build())
        .start();
    return id;
  }

  /** Until ok and broken have ended and slow.c1's await activity runs: the page is then live. */
  private static void awaitSlowRunAwaiting(WorkflowClient client) throws InterruptedException {
    CampaignStarter starter = new CampaignStarter(client);
    CampaignWorkflow campaign =
        client.newWorkflowStub(CampaignWorkflow.class, CampaignWorkflow.workflowId(CAMPAIGN));
    long deadline = System.nanoTime() + WAIT.toNanos();
    CampaignProgress p = null;
    while (System.nanoTime() < deadline) {
      p = campaign.progress();
      if (p.completed() == 1 && p.failed() == 1 && !p.running().isEmpty()) {
        var d = starter.describe("campaign/" + CAMPAIGN + "/slow.c1");
        if (d != null
            && d.getPendingActivitiesList().stream()
                .map(PendingActivityInfo::getActivityType)
                .anyMatch(t -> t.getName().equals("Await"))) {
          return;
        }
      }
      Thread.sleep(200);
    }
    fail("slow.c1 never reached its await step; campaign progress: " + p);
  }

  // ---- what the browser saw

  private static void checkList(JsonNode list, String unrelated) {
    assertNotNull(list, "no list findings");
    assertTrue(
        list.get("filterShown").asBoolean(),
        "the list shows the filter LlemCampaign = \"" + CAMPAIGN + "\": " + list);
    Set<String> ids = new TreeSet<>();
    list.get("workflows").forEach(w -> ids.add(w.get("workflowId").asText()));
    String c = "campaign/" + CAMPAIGN;
    assertEquals(
        new TreeSet<>(List.of(c, c + "/ok.c1", c + "/broken.c1", c + "/slow.c1")),
        ids,
        "workflows listed: " + list);
    assertFalse(ids.contains(unrelated), "the filter hides other campaigns");
    for (JsonNode w : list.get("workflows")) {
      if (w.get("workflowId").asText().equals(c)) {
        assertEquals("CampaignWorkflow", w.get("type").asText());
        assertEquals("RUNNING", w.get("status").asText());
      }
    }
  }

  private static void checkCampaignPage(JsonNode page, LoadedCampaign loaded) {
    assertNotNull(page, "no campaign page findings");
    assertEquals("RUNNING", page.get("status").asText());
    String summary = page.get("summary").asText();
    assertTrue(summary.contains(CAMPAIGN) && summary.contains("3 runs"), "Summary: " + summary);
    String details = page.get("details").asText();
    for (String experiment : List.of("ok", "broken", "slow")) {
      assertTrue(
          details.contains(experiment), "Details name experiment " + experiment + ": " + details);
    }
    assertTrue(
        details.contains(loaded.plan().hash().substring(0, 12)),
        "Details show the plan hash: " + details);

    // The live progress table (current details), as it stands while slow.c1 runs.
    String current = page.get("currentDetails").asText();
    assertTrue(current.contains("running"), current);
    assertTrue(current.contains("slow.c1"), "the running run is shown: " + current);
    assertTrue(
        current.contains("broken.c1") && current.contains("ExitNonZero"),
        "the failure is shown: " + current);
    assertTrue(
        current.lines().anyMatch(l -> l.replaceAll("\\s+", " ").trim().equals("3 1 1 0 0 1")),
        "planned/completed/failed/skipped/pending/running row reads 3 1 1 0 0 1: " + current);
    // The running run with where it runs: host and routed GPU (slow.c1 asked for GPU 2).
    assertTrue(
        current
            .lines()
            .anyMatch(
                l ->
                    l.contains("slow.c1")
                        && l.contains("ui-host")
                        && l.contains("GPU-2c3d4e5f-3333-4071-acbd-222222222222")),
        "the running run's host and GPU: " + current);

    Set<String> children = new TreeSet<>();
    page.get("children").forEach(ch -> children.add(ch.asText()));
    String c = "campaign/" + CAMPAIGN;
    assertEquals(
        new TreeSet<>(List.of(c + "/ok.c1", c + "/broken.c1", c + "/slow.c1")),
        children,
        "child run workflows");
    List<String> timeline = texts(page.get("timeline"));
    for (String run : List.of("ok.c1", "broken.c1", "slow.c1")) {
      assertTrue(
          timeline.stream().anyMatch(t -> t.startsWith("run " + run + " (")),
          "timeline shows run " + run + ": " + timeline);
    }

    JsonNode q = page.get("query");
    assertTrue(
        texts(q.get("queryTypes")).contains("progress"),
        "the Queries tab offers progress: " + q.get("queryTypes"));
    assertEquals(CAMPAIGN, q.get("campaign").asText(), q.get("text").asText());
    assertEquals("running", q.get("state").asText());
    assertEquals(3, q.get("planned").asInt());
    assertEquals(1, q.get("completed").asInt());
    assertEquals(1, q.get("failed").asInt());
    assertEquals(List.of("slow.c1"), texts(q.get("runningRunIds")));
    assertEquals(List.of("ExitNonZero"), texts(q.get("failureTypes")));
  }

  private static void checkLiveRun(JsonNode run) {
    assertNotNull(run, "no live run findings");
    assertEquals("RUNNING", run.get("status").asText());
    List<String> summaries = texts(run.get("activitySummaries"));
    for (String step : List.of("launch", "verify", "await")) {
      assertTrue(
          summaries.stream()
              .anyMatch(
                  s -> s.contains(step + " slow.c1 (run 3/3, attempt 1) on " + HOST + " GPU 2")),
          step + " summary in the timeline: " + summaries);
    }
    assertTrue(
        summaries.stream().anyMatch(s -> s.startsWith("Route • route slow.c1")),
        summaries.toString());
    assertTrue(
        run.get("currentDetails").asText().contains("running on " + HOST),
        run.get("currentDetails").asText());
    assertTrue(run.get("summary").asText().contains("slow.c1"), run.get("summary").asText());
    assertTrue(
        run.get("text").asText().contains("Parent Workflow\ncampaign/" + CAMPAIGN),
        "parent workflow link");
  }

  private static void checkFailedRun(JsonNode run) {
    assertNotNull(run, "no failed run findings");
    String text = run.get("text").asText();
    assertTrue(text.contains("ExitNonZero"), "failure type on the failed run's page:\n" + text);
    assertTrue(
        text.contains("exited with code 3"), "failure message on the failed run's page:\n" + text);
    assertTrue(
        text.contains("failing on purpose"), "the run's last output in the message:\n" + text);
    assertTrue(
        run.get("currentDetails").asText().contains("ExitNonZero"),
        run.get("currentDetails").asText());
  }

  // ---- the report

  private void checkReport(Path results, LoadedCampaign loaded, Map<Integer, String> uuids)
      throws Exception {
    Path out = screenshots.resolve("report");
    assertEquals(
        0,
        Main.execute("report", CAMPAIGN, "--results", results.toString(), "--out", out.toString()));
    Path html = out.resolve("report.html");
    NodeScript.Outcome r =
        NodeScript.run(
            Duration.ofMinutes(2),
            "render-report.mjs",
            html.toString(),
            screenshots.resolve("report.png").toString());
    assertEquals(0, r.exitCode(), "render-report.mjs failed:\n" + r.stderr());
    JsonNode seen = r.json();
    assertNotNull(seen, r.stdout());
    assertEquals("Campaign report: " + CAMPAIGN, seen.get("title").asText());
    assertEquals(loaded.plan().hash(), seen.get("planHash").asText(), "the campaign file's hash");
    assertEquals(
        List.of(),
        texts(seen.get("outsideRequests")),
        "the report loads nothing from outside the file");
    List<String> headings = texts(seen.get("headings"));
    for (String h :
        List.of(
            "Experiments",
            "Runs",
            "Timeline of runs per GPU",
            "Failures by type",
            "Routing and verification")) {
      assertTrue(headings.contains(h), "section " + h + " in " + headings);
    }
    String experiments = seen.get("experiments").asText();
    assertTrue(experiments.contains("120.0"), "ok's energy: " + experiments);
    assertTrue(
        experiments.contains("0.120"),
        "ok's energy per token (120 J / 1000 tokens): " + experiments);
    assertTrue(experiments.contains("simulated"), "the simulated flag is shown: " + experiments);
    String failures = seen.get("failures").asText();
    assertTrue(
        failures.contains("ExitNonZero")
            && failures.contains("broken.c1")
            && failures.contains("failing on purpose"),
        failures);
    String routing = seen.get("routing").asText();
    for (int gpu : List.of(0, 1, 2)) {
      assertTrue(
          routing.contains(uuids.get(gpu)),
          "routing table names GPU " + gpu + "'s UUID: " + routing);
    }
    assertEquals(
        3,
        routing
            .lines()
            .filter(l -> l.trim().endsWith("verified") && !l.contains("not verified"))
            .count(),
        routing);
    List<JsonNode> images = new ArrayList<>();
    seen.get("images").forEach(images::add);
    assertTrue(
        images.size() >= 5,
        "energy, per-token, throughput, duration, timeline and failures charts: " + images);
    for (JsonNode img : images) {
      assertTrue(
          img.get("dataUri").asBoolean() && img.get("loaded").asBoolean(),
          "embedded and rendered: " + img);
    }
    for (String png : List.of("energy.png", "timeline.png", "failures.png")) {
      BufferedImage chart = ImageIO.read(out.resolve(png).toFile());
      assertNotNull(chart, png + " beside the report is a PNG");
      assertTrue(
          chart.getWidth() >= 400 && chart.getHeight() >= 50,
          png + " is " + chart.getWidth() + "x" + chart.getHeight());
    }
    assertScreenshot(screenshots.resolve("report.png"));
  }

  private static void assertScreenshot(Path png) throws Exception {
    assertTrue(Files.isRegularFile(png), "missing " + png);
    BufferedImage img = ImageIO.read(png.toFile());
    assertNotNull(img, png + " is not a PNG");
    assertTrue(
        img.getWidth() > 100 && img.getHeight() > 100,
        png + " is " + img.getWidth() + "x" + img.getHeight());
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(n -> out.add(n.asText()));
    }
    return out;
  }
}
