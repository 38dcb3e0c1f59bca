package org.llenergymeasure.campaign.workflows.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.workflows.LlemDataConverter;
import org.llenergymeasure.campaign.workflows.host.AwaitProgress;
import org.llenergymeasure.campaign.workflows.host.GpuHolder;
import org.llenergymeasure.campaign.workflows.host.IdleGpu;
import org.llenergymeasure.campaign.workflows.host.QuarantinedGpu;
import org.llenergymeasure.campaign.workflows.host.RunFailure;
import org.llenergymeasure.campaign.workflows.run.RunOutcome;

/**
 * The JSON of the records that travel in a campaign's history (continue-as-new state, the
 * campaign's result and progress query, a run's outcome), written out literally: a refactor of
 * these records must leave every byte as it is, and the payloads of the recorded histories must
 * still read.
 */
class TravellingJsonTest {

  private static final ObjectMapper JSON = LlemDataConverter.objectMapper();

  private static final QuarantinedGpu QUARANTINED =
      new QuarantinedGpu(
          "h1",
          "GPU-1",
          List.of(new GpuHolder(42, "python3", 100L)),
          100L,
          "c/a.c1/a1",
          "2026-01-01T00:00:00Z",
          "a process is still on it");

  private static final String QUARANTINED_JSON =
      "{\"host\":\"h1\",\"uuid\":\"GPU-1\",\"holders\":[{\"pid\":42,\"name\":\"python3\","
          + "\"usedMemoryMiB\":100}],\"usedMemoryMiB\":100,\"leftBy\":\"c/a.c1/a1\","
          + "\"since\":\"2026-01-01T00:00:00Z\",\"reason\":\"a process is still on it\"}";

  private static final RecentFailure FAILURE = new RecentFailure("b.c1", "ExitNonZero", "exited 3");

  @Test
  void theContinueAsNewStateKeepsItsJson() throws Exception {
    Map<String, Map<String, IdleGpu>> idle = new TreeMap<>();
    idle.put("h1", Map.of("GPU-1", new IdleGpu(31, 55.5, 5, 0)));
    CampaignState state =
        new CampaignState(
            "CFPS",
            Map.of("b.c1", 2, "a.c1", 1),
            List.of(FAILURE),
            2,
            2245,
            2,
            "paused by a user",
            1,
            1,
            3,
            idle,
            List.of(QUARANTINED));
    String json =
        "{\"runs\":\"CFPS\",\"attemptsUsed\":{\"a.c1\":1,\"b.c1\":2},"
            + "\"recentFailures\":[{\"runId\":\"b.c1\",\"type\":\"ExitNonZero\","
            + "\"message\":\"exited 3\"}],\"finishedRuns\":2,\"finishedMillis\":2245,"
            + "\"concurrency\":2,\"pausedReason\":\"paused by a user\",\"consecutiveFailures\":1,"
            + "\"lastStartedIndex\":1,\"continuedAsNew\":3,\"idleBaselines\":{\"h1\":{\"GPU-1\":"
            + "{\"temperatureC\":31,\"powerWatts\":55.5,\"samples\":5,\"processes\":0}}},"
            + "\"quarantined\":["
            + QUARANTINED_JSON
            + "]}";
    // `attempts` (the compact attempt counters) was added later: written as null here, and a
    // state written before it reads back the same.
    assertEquals(
        json.substring(0, json.length() - 1) + ",\"attempts\":null}",
        JSON.writeValueAsString(state));
    assertEquals(state, JSON.readValue(json, CampaignState.class));
  }

  @Test
  void theProgressKeepsItsJson() throws Exception {
    CampaignProgress progress =
        new CampaignProgress(
            "demo",
            CampaignStatus.PAUSED,
            4,
            1,
            1,
            1,
            1,
            List.of(new RunningRun("d.c1", "h1", List.of("2"), 1, "2026-01-01T00:00:00Z")),
            List.of(FAILURE),
            120L,
            "paused by a user",
            2,
            List.of(QUARANTINED));
    String json =
        "{\"campaign\":\"demo\",\"state\":\"paused\",\"planned\":4,\"completed\":1,"
            + "\"failed\":1,\"skipped\":1,\"pending\":1,\"running\":[{\"runId\":\"d.c1\","
            + "\"host\":\"h1\",\"gpus\":[\"2\"],\"attempt\":1,"
            + "\"since\":\"2026-01-01T00:00:00Z\"}],\"recentFailures\":[{\"runId\":\"b.c1\","
            + "\"type\":\"ExitNonZero\",\"message\":\"exited 3\"}],\"etaSeconds\":120,"
            + "\"reason\":\"paused by a user\",\"concurrency\":2,\"quarantined\":["
            + QUARANTINED_JSON
            + "]}";
    assertEquals(json, JSON.writeValueAsString(progress));
    assertEquals(progress, JSON.readValue(json, CampaignProgress.class));
  }

  @Test
  void aRunOutcomeKeepsItsJson() throws Exception {
    RunOutcome outcome =
        new RunOutcome(
            "b.c1",
            RunOutcome.Status.FAILED,
            2,
            "h1",
            new RunFailure("ExitNonZero", "exited 3"),
            List.of("GPU-1"),
            List.of("GPU-1"),
            Map.of("energy_j", 101),
            1000,
            2000,
            List.of(QUARANTINED));
    String json =
        "{\"runId\":\"b.c1\",\"status\":\"failed\",\"attempt\":2,\"host\":\"h1\","
            + "\"failure\":{\"type\":\"ExitNonZero\",\"message\":\"exited 3\"},"
            + "\"routedUuids\":[\"GPU-1\"],\"verifiedUuids\":[\"GPU-1\"],"
            + "\"resultSummary\":{\"energy_j\":101},\"startedAtMillis\":1000,"
            + "\"finishedAtMillis\":2000,\"quarantined\":["
            + QUARANTINED_JSON
            + "]}";
    assertEquals(json, JSON.writeValueAsString(outcome));
    assertEquals(outcome, JSON.readValue(json, RunOutcome.class));
  }

  /**
   * Run outcomes, campaign results and continue-as-new inputs as the recorded histories hold them.
   */
  @Test
  void theRecordedHistoriesPayloadsStillRead() throws Exception {
    List<RunOutcome> outcomes = new ArrayList<>();
    List<CampaignProgress> results = new ArrayList<>();
    List<CampaignInput> continued = new ArrayList<>();
    for (HistoryEvent e : events("replay-demo-00-campaign_replay-demo.json")) {
      if (e.hasChildWorkflowExecutionCompletedEventAttributes()) {
        outcomes.add(
            read(
                e.getChildWorkflowExecutionCompletedEventAttributes().getResult(),
                RunOutcome.class));
      }
      if (e.hasWorkflowExecutionContinuedAsNewEventAttributes()) {
        continued.add(
            read(
                e.getWorkflowExecutionContinuedAsNewEventAttributes().getInput(),
                CampaignInput.class));
      }
    }
    for (HistoryEvent e : events("replay-demo-03-campaign_replay-demo.json")) {
      if (e.hasWorkflowExecutionCompletedEventAttributes()) {
        results.add(
            read(
                e.getWorkflowExecutionCompletedEventAttributes().getResult(),
                CampaignProgress.class));
      }
    }
    assertEquals(2, outcomes.size());
    assertEquals("a.c1", outcomes.get(0).runId());
    assertEquals(RunOutcome.Status.COMPLETED, outcomes.get(0).status());
    assertEquals(List.of(), outcomes.get(0).quarantined());

    assertEquals(1, continued.size());
    CampaignState state = continued.get(0).state();
    assertEquals("CCPP", state.runs());
    assertEquals(Map.of("a.c1", 1, "b.c1", 2), state.attemptsUsed());
    assertEquals(1, state.continuedAsNew());
    assertNull(state.pausedReason());
    assertEquals(Map.of(), state.idleBaselines());
    assertEquals(List.of(), state.quarantined());

    assertEquals(1, results.size());
    CampaignProgress end = results.get(0);
    assertEquals(CampaignStatus.COMPLETED, end.state());
    assertEquals(
        List.of(3L, 0L, 1L, 0L),
        List.of(end.completed(), end.failed(), end.skipped(), end.pending()));
    assertFalse(end.recentFailures().isEmpty());
  }

  private static List<HistoryEvent> events(String file) throws Exception {
    Path path = Path.of(TravellingJsonTest.class.getResource("/histories/" + file).toURI());
    return WorkflowExecutionHistory.fromJson(Files.readString(path)).getEvents();
  }

  /**
   * Await's heartbeat details gained {@code step}: a retried await reads the details of a try on a
   * worker without it (no step), and a worker without it reads newer details (step ignored).
   */
  @Test
  void awaitProgressReadsWithAndWithoutItsStep() throws Exception {
    String old =
        "{\"handle\":\"c1\",\"startedAtMillis\":1,\"lastOutputAtMillis\":2,"
            + "\"outputBytes\":3,\"lastLogLine\":\"hi\"}";
    assertEquals(
        new AwaitProgress("c1", 1, 2, 3, "hi", null), JSON.readValue(old, AwaitProgress.class));
    AwaitProgress now = new AwaitProgress("c1", 1, 2, 3, "hi", "warmup: 1/2");
    assertEquals(
        old.substring(0, old.length() - 1) + ",\"step\":\"warmup: 1/2\"}",
        JSON.writeValueAsString(now));
  }

  private static <T> T read(io.temporal.api.common.v1.Payloads payloads, Class<T> type)
      throws Exception {
    return JSON.readValue(payloads.getPayloads(0).getData().toStringUtf8(), type);
  }
}
