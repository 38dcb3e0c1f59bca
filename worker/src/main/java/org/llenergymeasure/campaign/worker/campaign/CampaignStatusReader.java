package org.llenergymeasure.campaign.worker.campaign;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.llenergymeasure.campaign.workflows.LlemSearchAttributes;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.CampaignStatus;

/**
 * Where a campaign stands. The {@code progress} query is exact but needs a live worker; without one
 * the answer comes from what the server keeps on its own: the result of a completed campaign, else
 * the search attributes the workflow upserts on each transition (which may lag a little and know
 * nothing of running runs or failures).
 */
public final class CampaignStatusReader {

  /** Where the numbers came from. */
  public enum Source {
    QUERY,
    RESULT,
    SEARCH_ATTRIBUTES
  }

  /** A status answer: the progress and where it came from ({@code note} says why, for people). */
  public record Status(CampaignProgress progress, Source source, String note) {}

  /** One line of {@code list}. */
  public record Summary(
      String campaign, CampaignStatus state, long planned, long completed, long failed) {}

  private final CampaignLookup lookup;
  private final Duration queryWait;

  /**
   * @param queryWait how long the progress query may wait for a worker before the fallback
   */
  public CampaignStatusReader(CampaignLookup lookup, Duration queryWait) {
    this.lookup = lookup;
    this.queryWait = queryWait;
  }

  public Status status(String campaign) {
    WorkflowExecutionDescription d = lookup.find(campaign);
    WorkflowStub stub = lookup.stub(campaign);
    WorkflowExecutionStatus status = d.getStatus();
    if (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
      try {
        return new Status(stub.getResult(CampaignProgress.class), Source.RESULT, null);
      } catch (RuntimeException e) {
        // an older result shape; the search attributes still say enough
      }
    }
    String why;
    try {
      // The SDK retries a query that no worker answers for about a minute; we wait less.
      CompletableFuture<CampaignProgress> query =
          CompletableFuture.supplyAsync(() -> stub.query("progress", CampaignProgress.class));
      CampaignProgress p;
      try {
        p = query.get(queryWait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        query.cancel(true);
        throw new IllegalStateException("no answer", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      if (p != null) {
        // A closed campaign's query replays its history: its lifecycle there may not know how
        // it closed (canceled, terminated), the server does.
        if (!CampaignLookup.isOpen(status)) {
          p = withState(p, CampaignLookup.stateOf(d));
        }
        return new Status(p, Source.QUERY, null);
      }
      why = "the progress query returned nothing";
    } catch (RuntimeException e) {
      why = "no worker answered the progress query";
    }
    return new Status(
        fromSearchAttributes(campaign, d),
        Source.SEARCH_ATTRIBUTES,
        why
            + "; these numbers come from the server's search attributes and may lag (start a worker"
            + " for live progress: llem-campaign worker)");
  }

  /** Every campaign on the server, newest first, from visibility alone (no worker needed). */
  public List<Summary> list() {
    Map<String, WorkflowExecutionMetadata> latest = new LinkedHashMap<>();
    lookup
        .client()
        .listExecutions("WorkflowType = 'CampaignWorkflow'")
        .sorted(Comparator.comparing(WorkflowExecutionMetadata::getStartTime).reversed())
        .forEach(e -> latest.putIfAbsent(e.getExecution().getWorkflowId(), e));
    List<Summary> out = new ArrayList<>();
    for (WorkflowExecutionMetadata e : latest.values()) {
      // A continued-as-new run's successor has the same id and a later start: it came first.
      if (e.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW) {
        continue;
      }
      String name = e.getTypedSearchAttributes().get(LlemSearchAttributes.CAMPAIGN);
      if (name == null) {
        String id = e.getExecution().getWorkflowId();
        name = id.startsWith("campaign/") ? id.substring("campaign/".length()) : id;
      }
      out.add(
          new Summary(
              name,
              CampaignLookup.stateOf(e),
              CampaignLookup.longAttribute(e, LlemSearchAttributes.PLANNED),
              CampaignLookup.longAttribute(e, LlemSearchAttributes.COMPLETED),
              CampaignLookup.longAttribute(e, LlemSearchAttributes.FAILED)));
    }
    return out;
  }

  private static CampaignProgress fromSearchAttributes(
      String campaign, WorkflowExecutionMetadata d) {
    long planned = CampaignLookup.longAttribute(d, LlemSearchAttributes.PLANNED);
    long completed = CampaignLookup.longAttribute(d, LlemSearchAttributes.COMPLETED);
    long failed = CampaignLookup.longAttribute(d, LlemSearchAttributes.FAILED);
    return new CampaignProgress(
        campaign,
        CampaignLookup.stateOf(d),
        planned,
        completed,
        failed,
        0,
        Math.max(0, planned - completed - failed),
        List.of(),
        List.of(),
        null,
        null,
        0,
        List.of());
  }

  private static CampaignProgress withState(CampaignProgress p, CampaignStatus state) {
    return new CampaignProgress(
        p.campaign(),
        state,
        p.planned(),
        p.completed(),
        p.failed(),
        p.skipped(),
        p.pending(),
        p.running(),
        p.recentFailures(),
        p.etaSeconds(),
        p.reason(),
        p.concurrency(),
        p.quarantined(),
        p.plannedMax(),
        p.convergence(),
        p.convergenceOmitted(),
        p.planVersion(),
        p.planHashes(),
        p.amendments());
  }
}
