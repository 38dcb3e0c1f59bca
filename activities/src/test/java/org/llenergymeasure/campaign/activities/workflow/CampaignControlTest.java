package org.llenergymeasure.campaign.activities.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.CanceledFailure;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.workflow.ScriptedRunBackend.Behaviour;
import org.llenergymeasure.campaign.activities.workflow.ScriptedRunBackend.Event;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.CampaignStatus;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflow;

/** Cancellation, failFast, concurrency on disjoint GPUs, refused updates, continue-as-new. */
class CampaignControlTest {

  @TempDir Path tmp;
  private CampaignTestEnvironment t;

  @BeforeEach
  void setUp() throws Exception {
    t = new CampaignTestEnvironment(tmp);
  }

  @AfterEach
  void tearDown() {
    t.close();
  }

  private static String yaml(String name, String experiments, String execution) {
    return "campaign: "
        + name
        + "\ndefaults:\n  image: fake:1\n  timeout: 1h\nexperiments:\n"
        + experiments
        + "execution:\n"
        + execution;
  }

  @Test
  void canceledCampaignStopsItsRunningRunRecordsItAndLeavesNoContainerNorLease() throws Exception {
    t.containers.on("a.c1", 1, Behaviour.HANG);
    CampaignWorkflow campaign =
        t.start(
            CampaignTestEnvironment.campaign(
                yaml("cancel-me", "  - name: a\n    gpus: [0]\n", "  cycles: 3\n")),
            null);
    TimeSkipper clock = new TimeSkipper(campaign);
    t.containers.waitUntilAwaiting("a.c1", 1);
    clock.held(
        () -> {
          WorkflowStub.fromTyped(campaign).cancel();
          return null;
        });
    ExecutionException ended = assertThrows(ExecutionException.class, clock::result);
    assertTrue(
        ended.getCause() instanceof WorkflowFailedException f
            && f.getCause() instanceof CanceledFailure,
        ended.toString());

    List<LedgerEntry> ledger = t.ledger("cancel-me");
    assertEquals(1, ledger.size(), ledger.toString());
    assertEquals("a.c1", ledger.get(0).runId());
    assertEquals("Canceled", ledger.get(0).error().type());
    assertEquals(
        List.of("a.c1"), t.containers.events("canceled").stream().map(Event::runId).toList());
    assertTrue(t.containers.live().isEmpty());
    assertTrue(t.leases.holders().isEmpty(), t.leases.holders().toString());
    assertEquals(1, t.containers.events("launch").size(), "no run started after the cancel");
  }

  @Test
  void failFastStopsAtTheFirstFailedRunAndCancelsTheOneRunningBesideIt() throws Exception {
    t.containers.on("a.c1", 1, Behaviour.HANG).on("b.c1", 1, Behaviour.NO_RESULT);
    CampaignWorkflow campaign =
        t.start(
            CampaignTestEnvironment.campaign(
                yaml(
                    "fail-fast",
                    "  - name: a\n    gpus: [0]\n  - name: b\n    gpus: [1]\n  - name: c\n    gpus: [2]\n",
                    "  concurrency: 2\n  failFast: true\n")),
            null);
    TimeSkipper clock = new TimeSkipper(campaign);
    CampaignProgress end = clock.result();

    assertEquals(CampaignStatus.FAILED, end.state());
    assertEquals("failFast: run b.c1 failed with ResultMissing", end.reason());
    assertEquals(
        List.of(0L, 1L, 0L, 1L),
        List.of(end.completed(), end.failed(), end.skipped(), end.pending()));
    List<String> ledger =
        t.ledger("fail-fast").stream().map(e -> e.runId() + " " + e.error().type()).toList();
    assertEquals(List.of("b.c1 ResultMissing", "a.c1 Canceled"), ledger);
    assertTrue(t.containers.live().isEmpty());
    assertTrue(t.leases.holders().isEmpty());
  }

  @Test
  void runsWithOverlappingExplicitGpusNeverRunTogetherButDisjointOnesDo() throws Exception {
    // a [0,1] and b [1,2] overlap; c [3] is disjoint from b. With concurrency 2, b waits for a,
    // then b and c run side by side (c's await proves it by waiting for b's).
    CampaignWorkflow campaign =
        t.start(
            CampaignTestEnvironment.campaign(
                yaml(
                    "disjoint",
                    "  - name: a\n    gpus: [0, 1]\n  - name: b\n    gpus: [1, 2]\n  - name: c\n    gpus: [3]\n",
                    "  concurrency: 2\n")),
            null);
    TimeSkipper clock = new TimeSkipper(campaign);
    CampaignProgress end = clock.result();
    assertEquals(3, end.completed());

    List<Event> events = t.containers.events();
    int aCleanup = indexOf(events, "cleanup", "a.c1");
    int bLaunch = indexOf(events, "launch", "b.c1");
    int cLaunch = indexOf(events, "launch", "c.c1");
    int bCleanup = indexOf(events, "cleanup", "b.c1");
    assertTrue(aCleanup < bLaunch, "b starts only after a is cleaned up: " + events);
    assertTrue(cLaunch < bCleanup, "c runs while b runs: " + events);
  }

  private static int indexOf(List<Event> events, String what, String runId) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).what().equals(what) && events.get(i).runId().equals(runId)) {
        return i;
      }
    }
    throw new AssertionError(what + " " + runId + " not in " + events);
  }

  @Test
  void updatesThatMakeNoSenseAreRefusedWithTheReason() throws Exception {
    t.containers.on("a.c1", 1, Behaviour.HANG);
    CampaignWorkflow campaign =
        t.start(
            CampaignTestEnvironment.campaign(
                yaml("refusals", "  - name: a\n    gpus: [0]\n", "  cycles: 2\n")),
            null);
    TimeSkipper clock = new TimeSkipper(campaign);
    t.containers.waitUntilAwaiting("a.c1", 1);
    clock.held(
        () -> {
          assertRefused(
              () -> campaign.skip("nope.c1"),
              "campaign refusals has no run 'nope.c1'; run ids are <experiment>.c<cycle>, e.g. a.c1");
          assertRefused(campaign::resume, "campaign refusals is not paused; nothing to resume");
          assertRefused(campaign::retryFailed, "campaign refusals has no failed run to retry");
          assertRefused(
              () -> campaign.setConcurrency(0), "concurrency must be between 1 and 64, got 0");
          assertEquals(
              "campaign refusals concurrency 1 -> 3 (runs still never share a GPU)",
              campaign.setConcurrency(3));
          assertTrue(campaign.pause("maintenance").startsWith("campaign refusals paused"));
          assertRefused(
              () -> campaign.pause(null),
              "campaign refusals is already paused: paused by a user: maintenance");
          assertTrue(campaign.skip("a.c1").startsWith("run a.c1 is being canceled"));
          Waits.until(campaign::progress, p -> p.skipped() == 1, "a.c1 skipped");
          assertRefused(
              () -> campaign.skip("a.c1"),
              "run a.c1 is already skipped; only a pending or running run can be skipped");
          CampaignProgress p = campaign.progress();
          assertEquals(
              List.of(CampaignStatus.PAUSED, "paused by a user: maintenance"),
              List.of(p.state(), p.reason()));
          assertEquals(3, p.concurrency());
          return campaign.resume();
        });
    CampaignProgress end = clock.result();
    assertEquals(List.of(1L, 1L), List.of(end.completed(), end.skipped()));
    // A refused update never enters the history: only the accepted ones are there.
    long accepted =
        t.client.fetchHistory(CampaignWorkflow.workflowId("refusals")).getEvents().stream()
            .map(HistoryEvent::getEventType)
            .filter(e -> e == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)
            .count();
    assertEquals(4, accepted, "setConcurrency, pause, skip, resume");
  }

  private static void assertRefused(Runnable update, String reasonStart) {
    WorkflowUpdateException e = assertThrows(WorkflowUpdateException.class, update::run);
    String reason = e.getCause().getMessage();
    assertTrue(reason.contains(reasonStart), "reason: " + reason);
  }

  @Test
  void continuesAsNewWhenNoRunIsInFlightAndCarriesItsState() throws Exception {
    t.containers.on("b.c1", 1, Behaviour.EXIT_NON_ZERO);
    CampaignWorkflow campaign =
        t.start(
            CampaignTestEnvironment.campaign(
                yaml(
                    "renewing",
                    "  - name: a\n    gpus: [0]\n  - name: b\n    gpus: [1]\n",
                    "  cycles: 3\n  gap: 1h\n  concurrency: 2\n")),
            2);
    String firstRunId = WorkflowStub.fromTyped(campaign).getExecution().getRunId();
    TimeSkipper clock = new TimeSkipper(campaign);
    CampaignProgress end = clock.result();

    assertEquals(CampaignStatus.COMPLETED, end.state());
    assertEquals(
        List.of(6L, 5L, 1L, 0L),
        List.of(end.planned(), end.completed(), end.failed(), end.pending()));
    assertEquals("b.c1", end.recentFailures().get(0).runId(), "failures survive continue-as-new");
    // Six runs, two per execution: three executions, each ended by continue-as-new but the last.
    int executions = 1;
    String runId = firstRunId;
    while (true) {
      var events =
          t.client.fetchHistory(CampaignWorkflow.workflowId("renewing"), runId).getEvents();
      HistoryEvent last = events.get(events.size() - 1);
      if (last.getEventType() != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW) {
        break;
      }
      // Drained: every child started in this execution had ended before it continued.
      long started =
          events.stream()
              .filter(
                  e -> e.getEventType() == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED)
              .count();
      long ended =
          events.stream()
              .filter(
                  e -> e.getEventType() == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED)
              .count();
      assertEquals(started, ended, "children in flight at continue-as-new in run " + runId);
      runId = last.getWorkflowExecutionContinuedAsNewEventAttributes().getNewExecutionRunId();
      executions++;
    }
    assertEquals(3, executions);
    List<String> ledger =
        t.ledger("renewing").stream().map(e -> e.runId() + "#" + e.attempt()).toList();
    assertEquals(6, ledger.size(), "every run exactly once: " + ledger);
    assertEquals(6, ledger.stream().distinct().count());
  }
}
