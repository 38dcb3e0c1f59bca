package org.llenergymeasure.campaign.activities.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.gpu.telemetry.ScriptedGpuTelemetry;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflow;

/**
 * An attempt whose measurement the host finds implausible is measured again (remeasure), then
 * retried under {@code retries}, and never counted as completed. Real workflows, real host
 * activities and ledger; the containers and NVML are scripted.
 */
class RemeasureWorkflowTest {

  static final String GPU0 = "GPU-0a1b2c3d-1111-4e5f-8a9b-000000000000";

  @TempDir Path tmp;
  private CampaignTestEnvironment t;

  @BeforeEach
  void setUp() throws Exception {
    ScriptedGpuTelemetry gpus = ScriptedGpuTelemetry.withStep(1000);
    // Read at routing (idle), at await's start and at its end: 100 W for 1 s = 100 J per attempt.
    gpus.gpu(GPU0, 100);
    t = new CampaignTestEnvironment(tmp, gpus);
  }

  @AfterEach
  void tearDown() {
    t.close();
  }

  private CampaignProgress run(String name, String experimentFields) throws Exception {
    String yaml =
        "campaign: "
            + name
            + "\ndefaults:\n  image: fake:1\n  timeout: 1h\nexperiments:\n  - name: a\n    gpus: [0]\n"
            + experimentFields;
    CampaignWorkflow campaign = t.start(CampaignTestEnvironment.campaign(yaml), null);
    try (TimeSkipper clock = new TimeSkipper(campaign)) {
      return clock.result();
    }
  }

  private static String energy(int joules) {
    return "{\"total_energy_j\": " + joules + ", \"avg_tokens_per_second\": 50}";
  }

  @Test
  void anInvalidMeasurementIsMeasuredAgainAndTheValidOneCounts() throws Exception {
    t.containers.result("a.c1", 1, energy(150)).result("a.c1", 2, energy(95));

    CampaignProgress end = run("i11a-remeasure", "    remeasure: 1\n");

    assertEquals(1, end.completed(), end.toString());
    assertEquals(0, end.failed());
    List<LedgerEntry> ledger = t.ledger("i11a-remeasure");
    assertEquals(2, ledger.size(), ledger.toString());
    LedgerEntry first = ledger.get(0);
    assertEquals(1, first.attempt());
    assertEquals("failed", first.status());
    assertEquals("InvalidMeasurement", first.error().type());
    assertTrue(
        first
            .error()
            .message()
            .startsWith("ENERGY_MISMATCH: host energy 100 J vs container 150 J differ by 50% > 5%"),
        first.error().message());
    assertEquals(150, first.result().get("total_energy_j").asInt(), "kept for inspection");
    assertEquals(100.0, first.hostMeasurement().energyJ(), 1e-9);
    LedgerEntry second = ledger.get(1);
    assertEquals(2, second.attempt());
    assertEquals("completed", second.status());
    assertNull(second.error());
    assertEquals(100.0, second.hostMeasurement().energyJ(), 1e-9);
    assertEquals(2, t.containers.events("launch").size(), "each attempt in a new container");
    assertTrue(t.leases.holders().isEmpty());
  }

  @Test
  void remeasuresComeFirstThenRetriesThenTheRunFails() throws Exception {
    for (int attempt = 1; attempt <= 4; attempt++) {
      t.containers.result("a.c1", attempt, energy(500));
    }

    CampaignProgress end = run("i11a-budgets", "    remeasure: 2\n    retries: 1\n");

    assertEquals(0, end.completed());
    assertEquals(1, end.failed());
    List<LedgerEntry> ledger = t.ledger("i11a-budgets");
    // 1 + 2 remeasures + 1 retry; never a fifth.
    assertEquals(List.of(1, 2, 3, 4), ledger.stream().map(LedgerEntry::attempt).toList());
    assertTrue(ledger.stream().allMatch(e -> "InvalidMeasurement".equals(e.error().type())));
  }

  @Test
  void aFailedAwaitStillStopsItsSamplerAndRecordsWhatTheHostMeasured() throws Exception {
    t.containers.on("a.c1", 1, ScriptedRunBackend.Behaviour.EXIT_NON_ZERO);

    CampaignProgress end = run("i11a-exit", "    remeasure: 3\n");

    assertEquals(1, end.failed());
    List<LedgerEntry> ledger = t.ledger("i11a-exit");
    assertEquals(1, ledger.size(), "remeasure is for invalid measurements only");
    assertEquals("ExitNonZero", ledger.get(0).error().type());
    assertEquals(100.0, ledger.get(0).hostMeasurement().energyJ(), 1e-9);
    assertTrue(
        Thread.getAllStackTraces().keySet().stream()
            .noneMatch(th -> th.getName().startsWith("llem-gpu-sampler-") && th.isAlive()),
        "no sampling thread outlives its await");
  }

  @Test
  void withoutRemeasureAnInvalidMeasurementFailsTheRunAtOnce() throws Exception {
    t.containers.result("a.c1", 1, energy(500));

    CampaignProgress end = run("i11a-no-remeasure", "");

    assertEquals(1, end.failed());
    List<LedgerEntry> ledger = t.ledger("i11a-no-remeasure");
    assertEquals(1, ledger.size());
    assertEquals("InvalidMeasurement", ledger.get(0).error().type());
  }

  @Test
  void aWindowTheRunReportsIsMeasuredByTheHostAndComparedLikeForLike() throws Exception {
    // The await is read at 1 s and 2 s of the scripted clock (100 W); the run reports its own 0.5 s
    // window inside, and 50 J for it: the host's energy over that window.
    long t0 = 1_700_000_000_000L;
    t.containers.result(
        "a.c1",
        1,
        "{\"total_energy_j\": 50, \"windowStartMs\": "
            + (t0 + 1200)
            + ", \"windowEndMs\": "
            + (t0 + 1700)
            + "}");

    // Under compareEnergy: equal, 50 J against the whole await's 100 J would be invalid.
    CampaignProgress end = run("i11a-window", "    measurement: {compareEnergy: equal}\n");

    assertEquals(1, end.completed(), end.toString());
    LedgerEntry e = t.ledger("i11a-window").get(0);
    assertEquals("completed", e.status(), String.valueOf(e.error()));
    assertEquals(100.0, e.hostMeasurement().energyJ(), 1e-9);
    assertEquals(50.0, e.hostMeasurement().window().energyJ(), 1e-9);
    assertEquals(t0 + 1200, e.hostMeasurement().window().startMs());
  }
}
