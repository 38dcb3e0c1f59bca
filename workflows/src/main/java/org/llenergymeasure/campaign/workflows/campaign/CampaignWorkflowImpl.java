package org.llenergymeasure.campaign.workflows.campaign;

import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.Execution;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.Plan;
import org.llenergymeasure.campaign.config.PlanBuilder;
import org.llenergymeasure.campaign.config.PlannedRun;
import org.llenergymeasure.campaign.config.RunOrder;
import org.llenergymeasure.campaign.workflows.LlemSearchAttributes;
import org.llenergymeasure.campaign.workflows.TaskQueues;
import org.llenergymeasure.campaign.workflows.run.ExperimentWorkflow;
import org.llenergymeasure.campaign.workflows.run.RunInput;
import org.llenergymeasure.campaign.workflows.run.RunOutcome;
import org.slf4j.Logger;

/**
 * Runs the plan one run at a time as ExperimentWorkflow children, with the configured gaps as
 * durable timers. Continues as new at a run boundary when the server suggests it, so no child is
 * in flight then and the default parent-close policy never terminates one.
 */
public class CampaignWorkflowImpl implements CampaignWorkflow {

  private static final Logger log = Workflow.getLogger(CampaignWorkflowImpl.class);

  private Campaign campaign;
  private Plan plan;
  private CampaignState state;
  private String lifecycle = "running";
  private RunningRun running;

  @Override
  public CampaignProgress run(CampaignInput input) {
    campaign = input.campaign();
    // The plan is re-derived here from the compact campaign; the hash the client computed from
    // the same file proves that this worker's expansion code agrees with the client's.
    plan = PlanBuilder.plan(campaign);
    if (!plan.hash().equals(input.planHash())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "campaign "
              + campaign.name()
              + ": this worker expands the campaign file into a different plan (hash "
              + plan.hash()
              + ") than the client that started it ("
              + input.planHash()
              + "); run the same llem-campaign version for client and worker",
          "PlanMismatch");
    }
    state = input.state() != null ? input.state() : CampaignState.start(plan.runs().size());
    publish();

    List<PlannedRun> runs = plan.runs();
    while (state.cursor() < runs.size()) {
      PlannedRun run = runs.get(state.cursor());
      if (state.cursor() > 0) {
        pauseBefore(run, runs.get(state.cursor() - 1));
      }
      runOne(run, input.candidateHosts());
      state = advance(state);
      publish();
      if (state.cursor() < runs.size() && Workflow.getInfo().isContinueAsNewSuggested()) {
        Workflow.await(Workflow::isEveryHandlerFinished);
        CampaignState carried =
            new CampaignState(
                state.cursor(),
                state.statuses(),
                state.recentFailures(),
                state.finishedRuns(),
                state.finishedMillis(),
                state.continuedAsNew() + 1);
        log.info("campaign {} continues as new at run {}", campaign.name(), state.cursor());
        Workflow.continueAsNew(input.withState(carried));
      }
    }
    lifecycle = "completed";
    publish();
    return progress();
  }

  private void runOne(PlannedRun run, List<String> candidateHosts) {
    Experiment experiment = campaign.experiment(run.experiment());
    state.statuses().set(run.index(), RunStatus.RUNNING);
    running =
        new RunningRun(
            run.runId(), experiment.host(), List.of(), 1, Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString());
    publish();
    ChildWorkflowOptions options =
        ChildWorkflowOptions.newBuilder()
            .setWorkflowId(ExperimentWorkflow.workflowId(campaign.name(), run.runId()))
            .setTaskQueue(TaskQueues.CAMPAIGNS)
            .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
            .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
            .setStaticSummary(
                "run " + run.runId() + " (" + (run.index() + 1) + "/" + plan.runs().size() + ")")
            .setStaticDetails(runDetails(run, experiment))
            .setTypedSearchAttributes(
                SearchAttributes.newBuilder()
                    .set(LlemSearchAttributes.CAMPAIGN, campaign.name())
                    .set(LlemSearchAttributes.EXPERIMENT, run.experiment())
                    .set(LlemSearchAttributes.RUN, run.runId())
                    .set(LlemSearchAttributes.STATUS, "running")
                    .build())
            .build();
    ExperimentWorkflow child = Workflow.newChildWorkflowStub(ExperimentWorkflow.class, options);
    RunOutcome outcome =
        child.run(
            new RunInput(
                campaign.name(), run, experiment, campaign.attach(), candidateHosts, plan.runs().size()));
    running = null;
    record(run, outcome);
  }

  private void record(PlannedRun run, RunOutcome outcome) {
    RunStatus status = outcome.completed() ? RunStatus.COMPLETED : RunStatus.FAILED;
    state.statuses().set(run.index(), status);
    List<RecentFailure> failures = state.recentFailures();
    if (outcome.failure() != null) {
      failures.add(new RecentFailure(run.runId(), outcome.failure().type(), outcome.failure().message()));
      while (failures.size() > CampaignState.RECENT_FAILURES_KEPT) {
        failures.remove(0);
      }
    }
    long duration = Math.max(0, outcome.finishedAtMillis() - outcome.startedAtMillis());
    state =
        new CampaignState(
            state.cursor(),
            state.statuses(),
            failures,
            state.finishedRuns() + 1,
            state.finishedMillis() + duration,
            state.continuedAsNew());
  }

  private static CampaignState advance(CampaignState s) {
    return new CampaignState(
        s.cursor() + 1, s.statuses(), s.recentFailures(), s.finishedRuns(), s.finishedMillis(), s.continuedAsNew());
  }

  /**
   * {@code cycleGap} between cycles, {@code gap} between runs of a cycle. In grouped order an
   * experiment's cycles follow each other, so only {@code gap} applies there.
   */
  private void pauseBefore(PlannedRun next, PlannedRun previous) {
    Execution execution = campaign.execution();
    boolean newCycle = execution.order() != RunOrder.GROUPED && next.cycle() != previous.cycle();
    Duration pause = newCycle ? execution.cycleGap() : execution.gap();
    if (pause != null && !pause.isZero() && !pause.isNegative()) {
      Workflow.sleep(pause);
    }
  }

  @Override
  public CampaignProgress progress() {
    if (state == null) {
      return new CampaignProgress(
          campaign == null ? null : campaign.name(), lifecycle, 0, 0, 0, 0, 0, List.of(), List.of(), null);
    }
    long pending = state.count(RunStatus.PENDING);
    Long eta = null;
    if (state.finishedRuns() > 0) {
      long remaining = pending + state.count(RunStatus.RUNNING);
      eta = remaining * (state.finishedMillis() / state.finishedRuns()) / 1000;
    }
    return new CampaignProgress(
        campaign.name(),
        lifecycle,
        state.statuses().size(),
        state.count(RunStatus.COMPLETED),
        state.count(RunStatus.FAILED),
        state.count(RunStatus.SKIPPED),
        pending,
        running == null ? List.of() : List.of(running),
        List.copyOf(state.recentFailures()),
        eta);
  }

  /** Mirrors the key numbers where the Web UI shows them even while no worker is running. */
  private void publish() {
    CampaignProgress p = progress();
    Workflow.upsertTypedSearchAttributes(
        LlemSearchAttributes.STATUS.valueSet(p.state()),
        LlemSearchAttributes.PLANNED.valueSet(p.planned()),
        LlemSearchAttributes.COMPLETED.valueSet(p.completed()),
        LlemSearchAttributes.FAILED.valueSet(p.failed()));
    StringBuilder md = new StringBuilder();
    md.append("**")
        .append(p.state())
        .append("** · ")
        .append(p.completed() + p.failed() + p.skipped())
        .append("/")
        .append(p.planned())
        .append(" runs done\n\n| planned | completed | failed | skipped | pending |\n|---|---|---|---|---|\n| ")
        .append(p.planned())
        .append(" | ")
        .append(p.completed())
        .append(" | ")
        .append(p.failed())
        .append(" | ")
        .append(p.skipped())
        .append(" | ")
        .append(p.pending())
        .append(" |\n");
    if (running != null) {
      md.append("\nRunning: `").append(running.runId()).append("` since ").append(running.since()).append('\n');
    }
    if (!p.recentFailures().isEmpty()) {
      md.append("\n| failed run | type | message |\n|---|---|---|\n");
      for (RecentFailure f : p.recentFailures()) {
        md.append("| ")
            .append(f.runId())
            .append(" | ")
            .append(f.type())
            .append(" | ")
            .append(f.message() == null ? "" : f.message().replace('|', '/').replace('\n', ' '))
            .append(" |\n");
      }
    }
    Workflow.setCurrentDetails(md.toString());
  }

  private static String runDetails(PlannedRun run, Experiment experiment) {
    List<String> lines = new ArrayList<>();
    lines.add("| experiment | cycle | image | GPUs |");
    lines.add("|---|---|---|---|");
    lines.add(
        "| "
            + run.experiment()
            + " | "
            + run.cycle()
            + " | `"
            + experiment.image()
            + "` | "
            + experiment.gpus()
            + " |");
    return String.join("\n", lines);
  }
}
