package org.llenergymeasure.campaign.worker.drills;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;

/**
 * The pool drill's checks on a finished campaign's ledger, each written from the files and the
 * histories alone (not from the placement code they check): every run's GPUs fit its request on its
 * host, no GPU held by two runs at once, nothing routed on a host after its drain.
 */
final class PoolChecks {

  /** What an experiment asks for: {@code gpus: {count, model}} (model null: any model). */
  record Request(int count, String model) {}

  private PoolChecks() {}

  /** UUID to GPU name of a captured inventory's full (non-MIG) GPUs. */
  static Map<String, String> fullGpus(Path inventory) throws IOException {
    Map<String, String> names = new HashMap<>();
    for (String line : Files.readAllLines(inventory.resolve("query-gpu.csv"))) {
      String[] f = line.split(",");
      if (f.length >= 6 && !f[5].strip().equals("Enabled")) {
        names.put(f[1].strip(), f[3].strip());
      }
    }
    return names;
  }

  /** A glob of a GPU's whole name, ignoring case: {@code *} any text, {@code ?} one character. */
  static boolean globMatches(String glob, String name) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE).matcher(name).matches();
  }

  /** Runs whose host and GPUs do not fit their experiment's request. */
  static List<String> misfits(
      List<LedgerEntry> ledger,
      Map<String, Request> requests,
      Map<String, Map<String, String>> gpusByHost) {
    List<String> bad = new ArrayList<>();
    for (LedgerEntry e : ledger) {
      Request want = requests.get(e.experiment());
      Map<String, String> host = gpusByHost.get(e.host());
      List<String> uuids = e.routing() == null ? List.of() : e.routing().uuids();
      if (want == null || host == null || uuids.size() != want.count()) {
        bad.add(e.runId() + " on " + e.host() + " got " + uuids + " for " + want);
        continue;
      }
      for (String u : uuids) {
        String name = host.get(u);
        if (name == null || (want.model() != null && !globMatches(want.model(), name))) {
          bad.add(e.runId() + " on " + e.host() + ": " + u + " (" + name + ") for " + want);
        }
      }
    }
    return bad;
  }

  /**
   * Pairs of runs that held one GPU of one host at overlapping times. A run holds its GPUs at least
   * from its routing (the Route activity's completion, {@code routedAt}) to its ledger line's
   * {@code finishedAt} (written by Collect, before Cleanup frees the lease); the ledger's {@code
   * startedAt} is earlier, when the attempt began waiting for GPUs, so it does not bound the hold.
   */
  static List<String> overlaps(List<LedgerEntry> ledger, Map<String, Instant> routedAt) {
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < ledger.size(); i++) {
      for (int j = i + 1; j < ledger.size(); j++) {
        LedgerEntry a = ledger.get(i);
        LedgerEntry b = ledger.get(j);
        if (!a.host().equals(b.host()) || a.routing() == null || b.routing() == null) {
          continue;
        }
        boolean shared = a.routing().uuids().stream().anyMatch(b.routing().uuids()::contains);
        Instant aFrom = routedAt.get(a.runId());
        Instant bFrom = routedAt.get(b.runId());
        if (shared && (aFrom == null || bFrom == null)) {
          bad.add(a.runId() + " or " + b.runId() + " has no routing on " + a.host());
          continue;
        }
        boolean together =
            shared
                && aFrom.isBefore(Instant.parse(b.finishedAt()))
                && bFrom.isBefore(Instant.parse(a.finishedAt()));
        if (together) {
          bad.add(a.runId() + " and " + b.runId() + " on " + a.host() + " " + a.routing().uuids());
        }
      }
    }
    return bad;
  }

  /** When each recorded run was routed on its host ({@link #routedAt}), by run id. */
  static Map<String, Instant> routedAt(
      WorkflowClient client, String campaignWorkflowId, List<LedgerEntry> ledger) {
    Map<String, Instant> at = new HashMap<>();
    for (LedgerEntry e : ledger) {
      Instant routed = routedAt(client, campaignWorkflowId + "/" + e.runId(), e.host());
      if (routed != null) {
        at.put(e.runId(), routed);
      }
    }
    return at;
  }

  /**
   * When the run's routing succeeded on the host's task queue: the completion time of its Route
   * activity scheduled there (null when none completed there).
   */
  static Instant routedAt(WorkflowClient client, String runWorkflowId, String host) {
    Map<Long, String> queueOfScheduled = new HashMap<>();
    Instant routed = null;
    for (HistoryEvent ev : client.fetchHistory(runWorkflowId).getEvents()) {
      if (ev.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
        var attrs = ev.getActivityTaskScheduledEventAttributes();
        if (attrs.getActivityType().getName().equals("Route")) {
          queueOfScheduled.put(ev.getEventId(), attrs.getTaskQueue().getName());
        }
      } else if (ev.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
        long scheduled = ev.getActivityTaskCompletedEventAttributes().getScheduledEventId();
        if (("llem-host-" + host).equals(queueOfScheduled.get(scheduled))) {
          var t = ev.getEventTime();
          routed = Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
        }
      }
    }
    return routed;
  }

  /** Runs recorded on the drained host whose routing there completed after the drain. */
  static List<String> routedAfterDrain(
      List<LedgerEntry> ledger, Map<String, Instant> routedAt, String host, Instant drained) {
    List<String> bad = new ArrayList<>();
    for (LedgerEntry e : ledger) {
      Instant routed = routedAt.get(e.runId());
      if (e.host().equals(host) && (routed == null || routed.isAfter(drained))) {
        bad.add(e.runId() + " routed on " + host + " at " + routed + ", drained at " + drained);
      }
    }
    return bad;
  }
}
