package org.llenergymeasure.campaign.worker.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.container.DockerEngine;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.ledger.RunLedger;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.CampaignStatus;

/**
 * Drill 9: a campaign of hostile runs ({@link HostileAttacks}) beside a normal campaign on one real
 * worker process. Afterwards the host folder the attacks aim at is unchanged and was never read
 * (its marker is in no ledger line, result, log or history), the worker's secret is nowhere, the
 * normal campaign completed on its own containers, and the worker is alive. Each check is its own
 * test, so one attack that gets through names itself.
 */
@ExtendWith(DockerExtension.class)
class HostileRunsIT {

  private static final String HOST = "drill-hostile-host";
  private static final String MARKER = "llem-marker-" + random();
  private static final String SECRET = "llem-secret-" + random();
  private static final String FAKE = "GPU-FAKE-" + random();

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  @TempDir static Path tmp;
  private static Process worker;
  private static Path host;
  private static Map<String, String> hostBefore;
  private static List<HostileAttacks.Attack> attacks;
  private static CampaignProgress normalEnd;
  private static CampaignProgress hostileEnd;
  private static String squatterId;
  private static DockerEngine engine;
  private static String rssAtStart;

  @BeforeAll
  static void runBothCampaigns() throws Exception {
    engine = DockerEngine.fromEnvironment();
    host = Files.createDirectories(tmp.resolve("host"));
    HostileAttacks.prepareHostFolder(host, MARKER);
    hostBefore = HostileAttacks.snapshot(host);
    attacks = HostileAttacks.attacks(host, FAKE);
    // A container holding the old-rule name of a normal run, made by someone else.
    squatterId =
        engine
            .client()
            .createContainerCmd("llem-probe:dev")
            .withName("llem-" + HostileAttacks.NORMAL + "-plain.c1-a1")
            .withLabels(Map.of("llem.campaign", "someone-else", "llem.run", "plain.c1"))
            .withCmd("sleep", "900")
            .exec()
            .getId();
    engine.client().startContainerCmd(squatterId).exec();
    worker =
        DrillKit.worker(
            temporal.address(),
            HOST,
            DockerExtension.repoRoot().resolve("examples/inventories/sim-4gpu-idle"),
            tmp.resolve("results"),
            tmp.resolve("home"),
            Map.of(HostileAttacks.SECRET_ENV, SECRET),
            tmp.resolve("worker.log"));
    Thread.sleep(5000);
    rssAtStart = workerMemory();
    WorkflowClient client = temporal.client();
    String normal =
        HostileAttacks.start(
            client, HOST, HostileAttacks.NORMAL, HostileAttacks.normalExperiments(), 2);
    String hostile =
        HostileAttacks.start(
            client,
            HOST,
            HostileAttacks.HOSTILE,
            attacks.stream().map(HostileAttacks.Attack::experiment).toList(),
            4);
    hostileEnd = HostileAttacks.result(client, hostile);
    normalEnd = HostileAttacks.result(client, normal);
  }

  @AfterAll
  static void report() throws Exception {
    try {
      if (attacks == null) {
        return; // the campaigns never started: the failure says why
      }
      List<String> planned = new ArrayList<>();
      HostileAttacks.normalExperiments().forEach(e -> planned.add(e.get("name") + ".c1"));
      List<LedgerEntry> normal = ledger(HostileAttacks.NORMAL);
      List<LedgerEntry> hostile = ledger(HostileAttacks.HOSTILE);
      attacks.forEach(a -> planned.add(a.name() + ".c1"));
      List<LedgerEntry> all = new ArrayList<>(normal);
      all.addAll(hostile);
      int left = 0;
      if (engine != null) {
        for (String c : List.of(HostileAttacks.NORMAL, HostileAttacks.HOSTILE)) {
          left += DockerExtension.removeContainersLabelled(engine.client(), "llem.campaign=" + c);
        }
      }
      for (String line : Files.readAllLines(tmp.resolve("worker.log"))) {
        if (line.contains("log-flood") && !line.contains(MARKER) && !line.contains(SECRET)) {
          System.out.println("hostile runs drill, worker log: " + line);
        }
      }
      System.out.println(
          "hostile runs drill: worker memory before the campaigns "
              + rssAtStart
              + ", after them "
              + workerMemory());
      Figures.report(
          new Figures.Report(
              "9. hostile runs ("
                  + (attacks.size() + 1)
                  + " attacks, one a squatting container) beside a normal campaign",
              1,
              DrillKit.runsLost(planned, all),
              DrillKit.recordedTwice(all),
              left,
              secretsFound().size(),
              attacks.size() + 1,
              hostFilesTouched().size()));
    } finally {
      DrillKit.stop(worker);
      if (engine != null) {
        if (squatterId != null) {
          try {
            engine.client().removeContainerCmd(squatterId).withForce(true).exec();
          } catch (com.github.dockerjava.api.exception.NotFoundException removedByTheWorker) {
            // aContainerHoldingANormalRunsOldName... reports it
          }
        }
        engine.close();
      }
    }
  }

  @Test
  void theHostFolderIsUnchangedAndNothingInItWasDeleted() throws Exception {
    assertEquals(
        List.of(), hostFilesTouched(), "host files the hostile runs got the worker to touch");
  }

  @Test
  void theHostMarkerIsInNoLedgerLine() throws Exception {
    for (String c : List.of(HostileAttacks.NORMAL, HostileAttacks.HOSTILE)) {
      String ledger = Files.readString(tmp.resolve("results").resolve(c).resolve("ledger.jsonl"));
      for (String line : ledger.split("\n")) {
        assertFalse(line.contains(MARKER), "the worker read a host file into the ledger: " + line);
      }
    }
  }

  @Test
  void neitherTheMarkerNorTheSecretIsInAnyFileUnderTheResultsRoot() throws Exception {
    assertEquals(
        List.of(),
        resultsHolding(),
        "files under the results root (links not followed) holding the marker or the secret");
  }

  @Test
  void neitherTheMarkerNorTheSecretIsInAnyWorkflowHistory() {
    assertEquals(List.of(), historiesContaining(), "workflow histories");
  }

  @Test
  void neitherTheMarkerNorTheSecretIsInTheWorkerLog() throws Exception {
    assertEquals(
        List.of(),
        HostileAttacks.filesContaining(List.of(tmp.resolve("worker.log")), List.of(MARKER, SECRET)),
        "the worker log");
  }

  @Test
  void theNormalCampaignCompletedEveryRunWithItsOwnResult() throws Exception {
    assertEquals(CampaignStatus.COMPLETED, normalEnd.state(), normalEnd.toString());
    assertEquals(0, normalEnd.failed(), normalEnd.toString());
    for (LedgerEntry e : ledger(HostileAttacks.NORMAL)) {
      assertEquals("completed", e.status(), e.runId() + ": " + e.error());
      Path result = Path.of(e.resultDir(), "result.json");
      assertEquals(
          "{\"who\": \"normal\"}",
          Files.readString(result),
          e.runId() + " got another run's result");
    }
    assertEquals(2, ledger(HostileAttacks.NORMAL).size());
  }

  @Test
  void theRunWhoseOldNameWasTheNormalRunsRanInItsOwnContainer() {
    assertEquals(List.of("completed"), outcomes("y.c1"), "hostile run y.c1 (old name clash)");
  }

  @Test
  void aContainerHoldingANormalRunsOldNameWasNeitherAdoptedNorRemoved() {
    var c = engine.client().inspectContainerCmd(squatterId).exec();
    assertTrue(c.getState().getRunning(), "the squatter container was stopped");
    assertEquals("/llem-" + HostileAttacks.NORMAL + "-plain.c1-a1", c.getName());
  }

  @Test
  void aResultFileLinkedToAHostFileIsRefused() {
    assertRefused("result-link.c1");
  }

  @Test
  void aResultReadThroughALinkedFolderIsRefused() {
    assertRefused("linked-folder.c1");
  }

  @Test
  void theSecretSplitAcrossA16KiBBoundaryIsMaskedInTheSavedLog() throws Exception {
    Path log = attemptDir("secret-split.c1").resolve("log.txt");
    assertTrue(Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS), "no saved log " + log);
    String text = Files.readString(log, StandardCharsets.UTF_8);
    assertFalse(text.contains(SECRET), "the secret printed across 16 KiB is in " + log);
  }

  @Test
  void theSecretWrittenAsAnInvalidResultIsRefusedWithoutQuotingIt() {
    assertEquals(List.of("failed:ResultInvalid"), outcomes("secret-split.c1"));
    for (LedgerEntry e : ledger(HostileAttacks.HOSTILE)) {
      if (e.runId().equals("secret-split.c1") && e.error() != null) {
        assertFalse(
            String.valueOf(e.error().message()).contains(SECRET),
            "the ResultInvalid message quotes the secret: " + e.error().message());
      }
    }
  }

  @Test
  void fakeSamplesProbeRoutingAndLogWrittenByTheRunAreNotRecordedAsTheWorkers() throws Exception {
    String ledger =
        Files.readString(
            tmp.resolve("results").resolve(HostileAttacks.HOSTILE).resolve("ledger.jsonl"));
    for (String line : ledger.split("\n")) {
      assertFalse(line.contains(FAKE), "the run's fake files made it into the ledger: " + line);
    }
    Path log = attemptDir("prefilled.c1").resolve("log.txt");
    assertFalse(
        Files.readString(log).contains(FAKE), "the run's own log.txt was kept as the saved log");
  }

  @Test
  void aRunPrinting100MbOfShortLinesIsRecordedAndTheWorkerSurvives() {
    assertEquals(List.of("completed"), outcomes("log-flood.c1"), "log-flood.c1");
    assertTrue(worker.isAlive(), "the worker died");
  }

  @Test
  void everyHostileRunIsRecordedExactlyOnce() {
    assertEquals(CampaignStatus.COMPLETED, hostileEnd.state(), hostileEnd.toString());
    for (HostileAttacks.Attack a : attacks) {
      assertEquals(1, outcomes(a.name() + ".c1").size(), a.name() + " (" + a.what() + ")");
    }
  }

  private static void assertRefused(String runId) {
    List<String> got = outcomes(runId);
    assertEquals(1, got.size(), runId + ": " + got);
    assertTrue(
        got.get(0).equals("failed:ResultInvalid") || got.get(0).equals("failed:ResultMissing"),
        runId + " must fail ResultInvalid or ResultMissing, not read a host file: " + got);
  }

  /** "completed" or "failed:Type" for each ledger line of a hostile run. */
  private static List<String> outcomes(String runId) {
    List<String> out = new ArrayList<>();
    for (LedgerEntry e : ledger(HostileAttacks.HOSTILE)) {
      if (e.runId().equals(runId)) {
        out.add(
            e.status().equals("completed")
                ? "completed"
                : "failed:" + (e.error() == null ? "untyped" : e.error().type()));
        if (e.error() != null) {
          System.out.println("hostile runs drill: " + runId + " failed: " + e.error());
        }
      }
    }
    return out;
  }

  private static Path attemptDir(String runId) {
    return tmp.resolve("results").resolve(HostileAttacks.HOSTILE).resolve(runId).resolve("a1");
  }

  private static List<String> hostFilesTouched() throws Exception {
    Map<String, String> after = HostileAttacks.snapshot(host);
    List<String> touched = new ArrayList<>();
    hostBefore.forEach(
        (file, hash) -> {
          if (!after.containsKey(file)) {
            touched.add(file + " deleted");
          } else if (!after.get(file).equals(hash)) {
            touched.add(file + " changed");
          }
        });
    after.keySet().stream()
        .filter(f -> !hostBefore.containsKey(f))
        .forEach(f -> touched.add(f + " created"));
    return touched;
  }

  private static List<String> secretsFound() throws Exception {
    List<String> found = new ArrayList<>(historiesContaining());
    found.addAll(resultsHolding());
    found.addAll(
        HostileAttacks.filesContaining(
            List.of(tmp.resolve("worker.log")), List.of(MARKER, SECRET)));
    return found;
  }

  /**
   * Files under the results root holding the marker or the secret, except the invalid result that
   * secret-split wrote itself (the run's own file; what matters is that the worker quotes it
   * nowhere).
   */
  private static List<String> resultsHolding() throws Exception {
    String own = attemptDir("secret-split.c1").resolve("out").resolve("result.json") + " holds";
    return HostileAttacks.filesContaining(List.of(tmp.resolve("results")), List.of(MARKER, SECRET))
        .stream()
        .filter(hit -> !hit.startsWith(own))
        .toList();
  }

  /**
   * Workflow histories holding the marker or the secret: searched in the history's bytes (payloads
   * as the run wrote them) and in its JSON. A search that cannot see the hostile commands (which
   * name the host folder) in the hostile campaign's runs would be blind, and fails.
   */
  private static List<String> historiesContaining() {
    WorkflowClient client = temporal.client();
    List<String> hits = new ArrayList<>();
    int sawHostFolder = 0;
    for (var w : client.listExecutions("").toList()) {
      WorkflowExecution ex = w.getExecution();
      var history = client.fetchHistory(ex.getWorkflowId(), ex.getRunId());
      byte[] bytes = history.getHistory().toByteArray();
      String json = history.toJson(false);
      if (DrillKit.indexOf(bytes, host.toString().getBytes(StandardCharsets.UTF_8)) >= 0) {
        sawHostFolder++;
      }
      for (String v : List.of(MARKER, SECRET)) {
        if (DrillKit.indexOf(bytes, v.getBytes(StandardCharsets.UTF_8)) >= 0 || json.contains(v)) {
          hits.add(
              ex.getWorkflowId() + " holds " + HostileAttacks.label(v, List.of(MARKER, SECRET)));
        }
      }
    }
    if (sawHostFolder == 0) {
      throw new AssertionError("the history search is blind: no history names the host folder");
    }
    return hits;
  }

  private static String workerMemory() {
    try {
      return Files.readAllLines(Path.of("/proc/" + worker.pid() + "/status")).stream()
          .filter(l -> l.startsWith("VmRSS") || l.startsWith("VmHWM"))
          .map(l -> l.replaceAll("\\s+", " "))
          .toList()
          .toString();
    } catch (Exception gone) {
      return "(worker gone: " + gone + ")";
    }
  }

  private static List<LedgerEntry> ledger(String campaign) {
    return RunLedger.of(tmp.resolve("results"), campaign).read();
  }

  private static String random() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }
}
