package org.llenergymeasure.campaign.workflows.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.workflows.LlemDataConverter;
import org.llenergymeasure.campaign.workflows.run.RunOutcome;

/**
 * The statuses travel (in history, query results, search attributes and the CLI's JSON) under the
 * names docs/cli-contract.md gives them, written here as that page writes them.
 */
class StatusNamesTest {

  private static final ObjectMapper JSON = LlemDataConverter.objectMapper();

  /**
   * cli-contract.md, "Campaign states" and {@code status}:
   * running|paused|completed|failed|canceled.
   */
  @Test
  void campaignStatesAreTheContractsNames() throws Exception {
    List<String> names = List.of("running", "paused", "completed", "failed", "canceled");
    assertEquals(names, Arrays.stream(CampaignStatus.values()).map(CampaignStatus::label).toList());
    for (String name : names) {
      CampaignStatus s = CampaignStatus.of(name);
      assertEquals("\"" + name + "\"", JSON.writeValueAsString(s));
      assertEquals(s, JSON.readValue("\"" + name + "\"", CampaignStatus.class));
      assertEquals(name, s.toString(), "text that shows a state reads the same");
    }
    assertThrows(IllegalArgumentException.class, () -> CampaignStatus.of("RUNNING"));
  }

  /**
   * cli-contract.md, {@code results}: a run's status is
   * completed|failed|skipped|canceled|pending|running.
   */
  @Test
  void aRunsOutcomeAndItsStatusInTheCampaignAreTheContractsNames() throws Exception {
    for (String name : List.of("completed", "failed", "canceled")) {
      RunOutcome.Status s = RunOutcome.Status.of(name);
      assertEquals(name, s.label());
      assertEquals("\"" + name + "\"", JSON.writeValueAsString(s));
      assertEquals(s, JSON.readValue("\"" + name + "\"", RunOutcome.Status.class));
    }
    assertEquals(3, RunOutcome.Status.values().length);
    assertEquals(
        List.of("pending", "running", "completed", "failed", "skipped", "canceled"),
        Arrays.stream(RunStatus.values()).map(RunStatus::label).toList());
  }

  /** The letters of CampaignState.runs, as every continue-as-new state holds them. */
  @Test
  void runStatusCodesNeverChange() {
    StringBuilder codes = new StringBuilder();
    for (RunStatus s : RunStatus.values()) {
      codes.append(s.code());
      assertEquals(s, RunStatus.of(s.code()));
    }
    assertEquals("PRCFSX", codes.toString());
    assertThrows(IllegalArgumentException.class, () -> RunStatus.of('Q'));
  }
}
