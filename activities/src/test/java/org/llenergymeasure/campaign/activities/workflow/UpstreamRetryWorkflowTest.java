package org.llenergymeasure.campaign.activities.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * The run workflow's retry decision for llenergymeasure's errors, as the collecting activity makes
 * it: real workflows, real host activities and collector; the runs are scripted to leave upstream's
 * error file and exit 1.
 */
class UpstreamRetryWorkflowTest {

  static final String GPU0 = "GPU-0a1b2c3d-1111-4e5f-8a9b-000000000000";

  @TempDir Path tmp;
  private CampaignTestEnvironment t;

  @BeforeEach
  void setUp() throws Exception {
    ScriptedGpuTelemetry gpus = ScriptedGpuTelemetry.withStep(1000);
    gpus.gpu(GPU0, 100);
    t = new CampaignTestEnvironment(tmp, gpus);
  }

  @AfterEach
  void tearDown() {
    t.close();
  }

  @Test
  void aRuntimeErrorUsesItsRetriesAndAConfigurationErrorNone() throws Exception {
    for (int attempt = 1; attempt <= 3; attempt++) {
      t.containers.upstreamError("runtime.c1", attempt, "RuntimeError");
      t.containers.upstreamError("config.c1", attempt, "ConfigError");
      t.containers.upstreamError("pydantic.c1", attempt, "ValidationError");
    }
    String yaml =
        String.join(
            "\n",
            "campaign: upstream-retry",
            "defaults:",
            "  image: fake:1",
            "  timeout: 1h",
            "  gpus: [0]",
            "  retries: 2",
            "  measurement: {check: false}",
            "  llenergymeasure: {config: {engine: transformers, task: {model: gpt2}}}",
            "experiments:",
            "  - name: runtime",
            "  - name: config",
            "  - name: pydantic",
            "");
    CampaignWorkflow campaign = t.start(CampaignTestEnvironment.campaign(yaml), null);
    CampaignProgress end;
    try (TimeSkipper clock = new TimeSkipper(campaign)) {
      end = clock.result();
    }

    assertEquals(3, end.failed(), end.toString());
    List<LedgerEntry> ledger = t.ledger("upstream-retry");
    assertEquals(List.of(1, 2, 3), attempts(ledger, "runtime"), ledger.toString());
    assertEquals(List.of(1), attempts(ledger, "config"), ledger.toString());
    assertEquals(List.of(1), attempts(ledger, "pydantic"), ledger.toString());
    for (LedgerEntry e : ledger) {
      assertEquals("ExperimentError", e.error().type(), e.toString());
    }
  }

  private static List<Integer> attempts(List<LedgerEntry> ledger, String experiment) {
    return ledger.stream()
        .filter(e -> e.experiment().equals(experiment))
        .map(LedgerEntry::attempt)
        .toList();
  }
}
