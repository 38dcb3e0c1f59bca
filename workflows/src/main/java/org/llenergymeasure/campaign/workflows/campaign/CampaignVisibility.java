package org.llenergymeasure.campaign.workflows.campaign;

import io.temporal.common.SearchAttributes;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.config.Cooldown;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.PlannedRun;
import org.llenergymeasure.campaign.workflows.LlemSearchAttributes;
import org.llenergymeasure.campaign.workflows.run.RunOutcome;

/**
 * What a campaign shows outside its workflow: the Web UI's live details and the summaries of its
 * timers, activities and children; the search attributes and the progress memo that {@code list}
 * and {@code status} read without a worker (cli-contract.md); and each run's own search attributes
 * at its start.
 */
final class CampaignVisibility {

  /** What the search attributes and memo showed last; null before the first publish. */
  private List<Object> lastPublished;

  /**
   * Live details on every call; search attributes and memo only when what they show changed (each
   * upsert is a history event), so a campaign whose worker is down still shows where it stands.
   */
  void publish(CampaignProgress p) {
    showDetails(p);
    List<Object> shown = shown(p);
    if (shown.equals(lastPublished)) {
      return;
    }
    lastPublished = shown;
    Workflow.upsertTypedSearchAttributes(
        LlemSearchAttributes.STATUS.valueSet(p.state().label()),
        LlemSearchAttributes.PLANNED.valueSet(p.planned()),
        LlemSearchAttributes.COMPLETED.valueSet(p.completed()),
        LlemSearchAttributes.FAILED.valueSet(p.failed()));
    Workflow.upsertMemo(Map.of(CampaignMemo.PROGRESS, progressMemo(p)));
  }

  /** The Web UI's live details alone (no history event). */
  static void showDetails(CampaignProgress p) {
    Workflow.setCurrentDetails(CampaignMarkdown.render(p));
  }

  /** What the search attributes and memo show: a change to any of it is published. */
  static List<Object> shown(CampaignProgress p) {
    return List.of(
        p.state(),
        p.planned(),
        p.completed(),
        p.failed(),
        p.skipped(),
        p.pending(),
        String.valueOf(p.reason()));
  }

  /** {@link CampaignMemo#PROGRESS}: state, reason and run totals. */
  static Map<String, Object> progressMemo(CampaignProgress p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", p.state().label());
    m.put("reason", p.reason());
    m.put("planned", p.planned());
    if (p.plannedMax() != null) {
      m.put("plannedMax", p.plannedMax());
    }
    m.put("completed", p.completed());
    m.put("failed", p.failed());
    m.put("skipped", p.skipped());
    m.put("pending", p.pending());
    return m;
  }

  /**
   * The memo of the next execution: memo is not carried by continue-as-new, so the client's plan
   * hash and experiment hashes are set again, with the progress so far.
   */
  static Map<String, Object> continueAsNewMemo(String planHash, CampaignProgress p) {
    Map<String, Object> memo = new LinkedHashMap<>();
    memo.put(CampaignMemo.PLAN_HASH, planHash);
    Object experimentHashes = Workflow.getMemo(CampaignMemo.EXPERIMENT_HASHES, Map.class);
    if (experimentHashes != null) {
      memo.put(CampaignMemo.EXPERIMENT_HASHES, experimentHashes);
    }
    memo.put(CampaignMemo.PROGRESS, progressMemo(p));
    return memo;
  }

  /** The run's child workflow in the campaign's page: "run a.c1 (1/12)". */
  static String runSummary(PlannedRun run, int plannedRuns) {
    return "run " + run.runId() + " (" + (run.index() + 1) + "/" + plannedRuns + ")";
  }

  static String runDetails(PlannedRun run, Experiment experiment) {
    return "| experiment | cycle | image | GPUs | host |\n|---|---|---|---|---|\n| "
        + run.experiment()
        + " | "
        + run.cycle()
        + " | `"
        + experiment.image()
        + "` | "
        + experiment.gpus()
        + " | "
        + (experiment.host() == null ? "any" : experiment.host())
        + " |";
  }

  /** A run's search attributes from its start; its workflow sets its host, GPUs and end. */
  static SearchAttributes runSearchAttributes(String campaign, PlannedRun run) {
    return SearchAttributes.newBuilder()
        .set(LlemSearchAttributes.CAMPAIGN, campaign)
        .set(LlemSearchAttributes.EXPERIMENT, run.experiment())
        .set(LlemSearchAttributes.RUN, run.runId())
        .set(LlemSearchAttributes.STATUS, RunStatus.RUNNING.label())
        .build();
  }

  /** The timer before a run: "gap PT1S before b.c1", "cycleGap PT2S before a.c2". */
  static String gapSummary(boolean newCycle, Duration pause, String runId) {
    return (newCycle ? "cycleGap " : "gap ") + pause + " before " + runId;
  }

  /** "cooldown after a.c1: GPUs 2 to idle +2 °C and ≤45 °C, at most PT10M". */
  static String cooldownSummary(RunOutcome outcome, Cooldown cooldown) {
    return "cooldown after "
        + outcome.runId()
        + ": GPUs "
        + outcome.routedUuids().size()
        + " to "
        + IdleBaselines.target(cooldown)
        + ", at most "
        + cooldown.timeout();
  }
}
