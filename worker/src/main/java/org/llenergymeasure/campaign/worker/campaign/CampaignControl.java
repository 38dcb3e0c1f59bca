package org.llenergymeasure.campaign.worker.campaign;

import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowQueryException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.llenergymeasure.campaign.worker.BadInput;
import org.llenergymeasure.campaign.worker.EnvironmentProblem;
import org.llenergymeasure.campaign.workflows.campaign.CurrentPlan;

/**
 * Changes a running campaign: the workflow's updates ({@code pause}, {@code resume}, {@code skip},
 * {@code retryFailed}, {@code setConcurrency}), called by name on an untyped stub, and
 * cancellation. A refused update (its validator's reason) is bad input; an update that no worker
 * takes within the wait is an environment problem (no worker runs).
 */
public final class CampaignControl {

  private final CampaignLookup lookup;
  private final Duration wait;

  public CampaignControl(CampaignLookup lookup, Duration wait) {
    this.lookup = lookup;
    this.wait = wait;
  }

  /**
   * Sends the update {@code name} and waits for the workflow to accept and apply it; returns the
   * line it answered with.
   */
  public String update(String campaign, String name, Object... args) {
    requireOpen(campaign, name);
    CompletableFuture<String> call =
        CompletableFuture.supplyAsync(() -> lookup.stub(campaign).update(name, String.class, args));
    try {
      return call.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new EnvironmentProblem(
          "no worker took the "
              + name
              + " of campaign "
              + campaign
              + " on "
              + lookup.address()
              + " within "
              + wait.toSeconds()
              + " s; start one (llem-campaign worker, or run the campaign's file"
              + " again) — the server may still deliver it when a worker comes");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentProblem(
          "interrupted while waiting for the " + name + " of campaign " + campaign);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof WorkflowUpdateException refused) {
        throw new BadInput(campaign + ": " + name + " refused: " + reason(refused));
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(cause);
    }
  }

  /**
   * The campaign file a running campaign runs under now (its {@code plan} query); a campaign that
   * ended is bad input saying how it ended.
   */
  public CurrentPlan currentPlan(String campaign) {
    requireOpen(campaign, "amend");
    try {
      return lookup.stub(campaign).query("plan", CurrentPlan.class);
    } catch (WorkflowQueryException e) {
      throw new EnvironmentProblem(
          "campaign "
              + campaign
              + " on "
              + lookup.address()
              + " did not answer its plan query ("
              + e.getMessage()
              + "); is a worker running? (llem-campaign worker, or run the campaign's file again)");
    }
  }

  /** Requests cancellation: the campaign cancels its running run, cleans up and ends canceled. */
  public void cancel(String campaign) {
    requireOpen(campaign, "cancel");
    lookup.stub(campaign).cancel("canceled with llem-campaign cancel");
  }

  private void requireOpen(String campaign, String what) {
    WorkflowExecutionDescription d = lookup.find(campaign);
    if (!CampaignLookup.isOpen(d.getStatus())) {
      throw new BadInput(
          "campaign "
              + campaign
              + " already ended ("
              + CampaignLookup.stateOf(d)
              + "); "
              + what
              + " applies to a running campaign only");
    }
  }

  /** The validator's message: the innermost failure's own message, without the SDK's wrapping. */
  static String reason(WorkflowUpdateException e) {
    Throwable t = e.getCause();
    String message = null;
    while (t != null) {
      if (t instanceof ApplicationFailure af
          && af.getOriginalMessage() != null
          && !af.getOriginalMessage().isBlank()) {
        message = af.getOriginalMessage();
      } else if (message == null && t.getMessage() != null) {
        message = t.getMessage();
      }
      t = t.getCause();
    }
    return message == null ? "the workflow refused it without a reason" : message;
  }
}
