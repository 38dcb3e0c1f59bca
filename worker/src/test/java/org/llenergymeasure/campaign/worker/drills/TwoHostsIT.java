package org.llenergymeasure.campaign.worker.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
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
 * Drill 8: two GPU hosts, two worker processes with different host ids and captured inventories on
 * one server. Pinned runs land on their host only; unpinned ones on whichever host has the GPUs;
 * every step after routing stays on the routing host. Host b's worker is killed while one of its
 * runs is in its container: that run waits for it (never moves), host a keeps working, and once b
 * is back the campaign completes with every run recorded once.
 */
@ExtendWith(DockerExtension.class)
class TwoHostsIT {

  private static final String CAMPAIGN = "drill-hosts";

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  @Test
  void runsStayOnTheirHostAndWaitForIt(DockerClient docker, @TempDir Path tmp) throws Exception {
    Path invA = copyInventory("sim-4gpu-idle", tmp.resolve("inv-a"));
    Path invB = copyInventory("h200-2gpu", tmp.resolve("inv-b"));
    Path results = tmp.resolve("results");
    List<String> planned = List.of("a1.c1", "a2.c1", "b1.c1", "b2.c1", "any1.c1", "any2.c1");
    String yaml =
        String.join(
            "\n",
            "campaign: " + CAMPAIGN,
            "hosts: [a, b]",
            "defaults:",
            "  image: 'llem-probe:dev'",
            "  timeout: 2m",
            "  command: [sh, -c, 'sleep 4; printf \"{\\\"ok\\\": 1}\" > /results/result.json']",
            "experiments:",
            "  - {name: b1, host: b, gpus: [0]}",
            "  - {name: a1, host: a, gpus: [0]}",
            "  - {name: b2, host: b, gpus: [1]}",
            "  - {name: a2, host: a, gpus: [1]}",
            "  - {name: any1, gpus: [0]}",
            "  - {name: any2, gpus: [1]}",
            "execution: {concurrency: 4, order: grouped}",
            "");
    Process a =
        DrillKit.worker(
            temporal.address(),
            "a",
            invA,
            results,
            tmp.resolve("home-a"),
            Map.of(),
            tmp.resolve("a.log"));
    Process b =
        DrillKit.worker(
            temporal.address(),
            "b",
            invB,
            results,
            tmp.resolve("home-b"),
            Map.of(),
            tmp.resolve("b1.log"));
    try {
      WorkflowClient client = temporal.client();
      String id =
          new CampaignStarter(client)
              .startOrAttach(CampaignLoader.parse(yaml, CAMPAIGN + ".yaml"), List.of("a", "b"))
              .workflowId();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (!DrillKit.startedActivities(client, id + "/b1.c1").contains("Await")) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("b1 never reached await");
        }
        Thread.sleep(100);
      }
      DrillKit.kill9(b);
      Instant bDown = Instant.now();
      Thread.sleep(12_000); // host a keeps working meanwhile
      Instant bBack = Instant.now();
      b =
          DrillKit.worker(
              temporal.address(),
              "b",
              invB,
              results,
              tmp.resolve("home-b"),
              Map.of(),
              tmp.resolve("b2.log"));

      CampaignProgress end =
          WorkflowStub.fromTyped(client.newWorkflowStub(CampaignWorkflow.class, id))
              .getResult(5, TimeUnit.MINUTES, CampaignProgress.class);
      List<LedgerEntry> ledger = RunLedger.of(results, CAMPAIGN).read();
      List<String> wrongQueues = new ArrayList<>();
      for (LedgerEntry e : ledger) {
        Set<String> queues = stepQueues(client, id + "/" + e.runId());
        if (!queues.equals(Set.of("llem-host-" + e.host()))) {
          wrongQueues.add(
              e.runId() + " recorded on " + e.host() + " but its steps ran on " + queues);
        }
      }
      DrillKit.stop(a);
      DrillKit.stop(b);
      int left = DockerExtension.removeContainersLabelled(docker, "llem.campaign=" + CAMPAIGN);
      Figures.report(
          new Figures.Report(
              "8. two hosts, one worker killed and restarted",
              1,
              DrillKit.runsLost(planned, ledger),
              DrillKit.recordedTwice(ledger),
              left,
              0,
              0));

      assertEquals(CampaignStatus.COMPLETED, end.state(), end.toString());
      assertEquals(planned.size(), ledger.size(), ledger.toString());
      boolean aWorkedWhileBWasDown = false;
      for (LedgerEntry e : ledger) {
        assertEquals("completed", e.status(), e.toString());
        assertEquals(1, e.attempt(), "a worker outage is not a failed attempt: " + e);
        if (e.runId().startsWith("a")) {
          assertEquals("a", e.host(), e.toString());
        }
        if (e.runId().startsWith("b")) {
          assertEquals("b", e.host(), "a run pinned to b moved: " + e);
        }
        Instant finished = Instant.parse(e.finishedAt());
        if (e.host().equals("a") && finished.isAfter(bDown) && finished.isBefore(bBack)) {
          aWorkedWhileBWasDown = true;
        }
      }
      LedgerEntry b1 =
          ledger.stream().filter(e -> e.runId().equals("b1.c1")).findFirst().orElseThrow();
      assertTrue(
          Instant.parse(b1.finishedAt()).isAfter(bBack), "b1 finished only once b was back: " + b1);
      assertTrue(aWorkedWhileBWasDown, "host a finished no run while b was down: " + ledger);
      assertEquals(List.of(), wrongQueues);
      assertEquals(0, left);
    } finally {
      a.destroyForcibly();
      b.destroyForcibly();
      DockerExtension.removeContainersLabelled(docker, "llem.campaign=" + CAMPAIGN);
    }
  }

  /** The task queues of a run's steps after routing (launch .. cleanup). */
  private static Set<String> stepQueues(WorkflowClient client, String runWorkflowId) {
    Set<String> queues = new TreeSet<>();
    for (HistoryEvent ev : client.fetchHistory(runWorkflowId).getEvents()) {
      if (ev.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
        var attrs = ev.getActivityTaskScheduledEventAttributes();
        String type = attrs.getActivityType().getName();
        if (!type.equals("Route") && !type.equals("Cooldown")) {
          queues.add(attrs.getTaskQueue().getName());
        }
      }
    }
    return queues;
  }

  private static Path copyInventory(String name, Path to) throws Exception {
    Files.createDirectories(to);
    try (Stream<Path> files =
        Files.list(DockerExtension.repoRoot().resolve("examples/inventories").resolve(name))) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
    Files.writeString(to.resolve("compute-apps.csv"), ""); // both hosts idle
    return to;
  }
}
