package org.llenergymeasure.campaign.workflows.run;

import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ExternalWorkflowStub;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.LlemSearchAttributes;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.CleanupResult;
import org.llenergymeasure.campaign.workflows.host.CollectRequest;
import org.llenergymeasure.campaign.workflows.host.CollectResult;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.IdleBaselineResult;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;
import org.llenergymeasure.campaign.workflows.host.QuarantinedGpu;
import org.llenergymeasure.campaign.workflows.host.RouteRequest;
import org.llenergymeasure.campaign.workflows.host.RunActivities;
import org.llenergymeasure.campaign.workflows.host.RunFailure;
import org.llenergymeasure.campaign.workflows.host.RunRef;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;
import org.llenergymeasure.campaign.workflows.host.VerifyResult;
import org.slf4j.Logger;

/**
 * A run's attempts: each attempt is route, launch, verify, await, collect, cleanup on the host that
 * routed it. A new attempt (a new container) follows only a failure that a new attempt can fix
 * (FailureTypes.ATTEMPT_RETRYABLE), at most {@code retries} times; after an {@code
 * InvalidMeasurement} the experiment's {@code remeasure} budget is used first. Collect and cleanup
 * run whatever happened before them, so every attempt leaves one ledger line and no container.
 *
 * <p>Canceled (the run was skipped, or its campaign canceled): the attempt is recorded as {@code
 * Canceled} and cleaned up in a detached scope, and the run returns the outcome "canceled" rather
 * than failing, so its campaign reads one compact outcome either way.
 */
public class ExperimentWorkflowImpl implements ExperimentWorkflow {

  private static final Logger log = Workflow.getLogger(ExperimentWorkflowImpl.class);

  /** Wait between rounds over several busy hosts; grows to the cap. */
  private static final Duration FIRST_BUSY_WAIT = Duration.ofSeconds(5);

  private static final Duration MAX_BUSY_WAIT = Duration.ofMinutes(5);

  /** The phase of await, the only one that shows the run's progress step. */
  private static final String RUNNING_PHASE = "running on ";

  private RunInput input;

  /** What this run's cleanups quarantined, over all its attempts (the campaign shows it). */
  private final Map<String, QuarantinedGpu> quarantined = new LinkedHashMap<>();

  /** The phase shown in the current details and its attempt (a step is shown with them). */
  private String phase;

  private int phaseAttempt;

  /** The idle baseline this run took of a host new to its campaign, if it took one. */
  private IdleBaselineResult joinedHostBaseline;

  @Override
  public RunOutcome run(RunInput input) {
    this.input = input;
    int retriesLeft = input.experiment().retries();
    int remeasuresLeft = input.experiment().remeasure();
    RunOutcome outcome;
    for (int attempt = input.firstAttempt(); ; attempt++) {
      outcome = runAttempt(attempt);
      if (outcome.completed()
          || outcome.canceled()
          || !FailureTypes.attemptRetryable(outcome.failure())) {
        break;
      }
      // An invalid measurement is measured again first from its own budget (remeasure), then
      // from retries like any other failure a new attempt can fix.
      boolean invalidMeasurement =
          FailureTypes.INVALID_MEASUREMENT.equals(outcome.failure().type());
      if (remeasuresLeft > 0 && invalidMeasurement) {
        remeasuresLeft--;
      } else if (retriesLeft > 0) {
        retriesLeft--;
      } else {
        break;
      }
      log.info(
          "run {} attempt {} failed with {}; starting attempt {}",
          input.run().runId(),
          attempt,
          outcome.failure().type(),
          attempt + 1);
    }
    RunOutcome end = outcome;
    // Canceled: this workflow's own scope is canceled, so even an upsert must leave it.
    Workflow.newDetachedCancellationScope(
            () -> {
              Workflow.upsertTypedSearchAttributes(
                  LlemSearchAttributes.STATUS.valueSet(end.status().label()));
              showPhase(
                  end.status().label() + (end.failure() == null ? "" : ": " + end.failure().type()),
                  end.attempt());
            })
        .run();
    RunOutcome result =
        quarantined.isEmpty()
            ? outcome
            : outcome.withQuarantined(new ArrayList<>(quarantined.values()));
    return joinedHostBaseline == null ? result : result.withJoinedHostBaseline(joinedHostBaseline);
  }

  private RunOutcome runAttempt(int attempt) {
    RunRef ref =
        new RunRef(
            input.campaign(),
            input.run().runId(),
            input.run().experiment(),
            input.run().cycle(),
            attempt);
    Experiment experiment = input.experiment();
    long startedAt = Workflow.currentTimeMillis();
    if (CancellationScope.current().isCancelRequested()) {
      return canceledBeforeRouting(ref, startedAt);
    }

    showPhase("routing", attempt);
    GpuRouting routing;
    try {
      routing = route(ref);
    } catch (ActivityFailure f) {
      if (RunFailures.isCancellation(f)) {
        return canceledBeforeRouting(ref, startedAt);
      }
      return refused(ref, RunFailures.of(f), startedAt);
    } catch (CanceledFailure canceled) {
      return canceledBeforeRouting(ref, startedAt);
    } catch (RegistryRouting.Unplaceable never) {
      return refused(
          ref, new RunFailure(FailureTypes.INVALID_GPU_SELECTION, never.getMessage()), startedAt);
    }
    String host = routing.hostId();
    Workflow.upsertTypedSearchAttributes(
        LlemSearchAttributes.HOST.valueSet(host),
        LlemSearchAttributes.GPUS.valueSet(routing.uuids()));
    tellCampaign(
        new RunRouted(ref.runId(), attempt, host, RunLabels.gpuIds(routing), routing.uuids()));

    String handle = null;
    List<String> verifiedUuids = null;
    RunFailure failure = null;
    boolean canceled = false;
    try {
      if (joinedHostBaseline == null) {
        joinedHostBaseline = RegistryRouting.joinedHostBaseline(input, host);
      }
      showPhase("launching on " + host + " " + RunLabels.gpuLabel(routing), attempt);
      LaunchResult launched =
          stub(RunActivityOptions.launch(
                  host, RunLabels.stepSummary("launch", input, ref, routing)))
              .launch(new LaunchRequest(ref, experiment, routing));
      handle = launched.handle();
      if (!"exited".equals(launched.state())) {
        showPhase("verifying GPUs " + RunLabels.gpuLabel(routing), attempt);
        VerifyResult verified =
            stub(RunActivityOptions.verify(
                    host, RunLabels.stepSummary("verify", input, ref, routing)))
                .verify(new VerifyRequest(ref, experiment, routing, handle));
        verifiedUuids = verified.verifiedUuids();
      }
      showPhase(RUNNING_PHASE + host + " " + RunLabels.gpuLabel(routing), attempt);
      stub(RunActivityOptions.await(
              host, RunLabels.stepSummary("await", input, ref, routing), experiment))
          .await(new AwaitRequest(ref, experiment, handle));
    } catch (ActivityFailure f) {
      if (RunFailures.isCancellation(f)) {
        canceled = true;
      } else {
        failure = RunFailures.of(f);
      }
    } catch (CanceledFailure c) {
      canceled = true;
    }
    if (canceled) {
      failure = RunFailures.CANCELED;
    }

    // Collect and cleanup must run even when this run was canceled: a detached scope.
    String finalHandle = handle;
    List<String> finalVerified = verifiedUuids;
    RunFailure finalFailure = failure;
    CollectResult[] collected = new CollectResult[1];
    Workflow.newDetachedCancellationScope(
            () -> {
              try {
                showPhase("collecting", attempt);
                collected[0] =
                    collect(
                        host,
                        ref,
                        experiment,
                        routing,
                        finalHandle,
                        finalVerified,
                        finalFailure,
                        startedAt);
              } finally {
                cleanup(host, ref, finalHandle, routing);
              }
            })
        .run();
    RunOutcome outcome = outcome(ref, host, routing, verifiedUuids, collected[0], startedAt);
    return canceled ? RunFailures.canceled(outcome) : outcome;
  }

  /**
   * Routing refused the run for good: recorded in the ledger of the first candidate host, so
   * `results` shows why the run never started.
   */
  private RunOutcome refused(RunRef ref, RunFailure failure, long startedAt) {
    String recordHost = hosts().get(0);
    CollectResult recorded =
        collect(recordHost, ref, input.experiment(), null, null, null, failure, startedAt);
    return outcome(ref, recordHost, null, null, recorded, startedAt);
  }

  /**
   * Canceled while routing (or before): nothing was launched. The attempt is recorded and its lease
   * (if routing got one just before the cancel) released on a single candidate host.
   */
  private RunOutcome canceledBeforeRouting(RunRef ref, long startedAt) {
    List<String> hosts = hosts();
    String recordHost = hosts.get(0);
    CollectResult[] recorded = new CollectResult[1];
    Workflow.newDetachedCancellationScope(
            () -> {
              recorded[0] =
                  collect(
                      recordHost,
                      ref,
                      input.experiment(),
                      null,
                      null,
                      null,
                      RunFailures.CANCELED,
                      startedAt);
              if (hosts.size() == 1) {
                cleanup(recordHost, ref, null, null);
              }
            })
        .run();
    return RunFailures.canceled(outcome(ref, recordHost, null, null, recorded[0], startedAt));
  }

  /**
   * Lets the campaign show where this attempt runs; a run started on its own has no campaign.
   * Display only, so the launch does not wait for the signal's delivery: it is scheduled in the
   * same workflow task, one round trip less per run. A campaign that cannot be told (gone, or this
   * run canceled) changes nothing.
   */
  private void tellCampaign(RunRouted routed) {
    String parent = Workflow.getInfo().getParentWorkflowId().orElse(null);
    if (parent == null) {
      return;
    }
    ExternalWorkflowStub campaign = Workflow.newUntypedExternalWorkflowStub(parent);
    Async.procedure(campaign::signal, "runRouted", new Object[] {routed})
        .exceptionally(
            e -> {
              log.info(
                  "run {}: could not tell campaign {} its routing: {}",
                  routed.runId(),
                  parent,
                  e.getMessage());
              return null;
            });
  }

  private GpuRouting route(RunRef ref) {
    List<String> hosts = hosts();
    RouteRequest request = new RouteRequest(ref, input.experiment(), input.attach());
    String summary =
        "route " + ref.runId() + " a" + ref.attempt() + " " + input.experiment().gpus();
    if (input.placement() != null
        && Workflow.getVersion(RegistryRouting.CHANGE_ID, Workflow.DEFAULT_VERSION, 1) == 1) {
      return new RegistryRouting(input, p -> showPhase(p, ref.attempt()))
          .route(ref, request, summary);
    }
    if (hosts.size() == 1) {
      return stub(RunActivityOptions.routeWaiting(hosts.get(0), summary)).route(request);
    }
    Duration wait = FIRST_BUSY_WAIT;
    while (true) {
      ActivityFailure last = null;
      for (String host : hosts) {
        try {
          return stub(RunActivityOptions.routeOnce(host, summary + " on " + host)).route(request);
        } catch (ActivityFailure f) {
          if (RunFailures.isCancellation(f) || !RunFailures.tryNextHost(f)) {
            throw f;
          }
          last = f;
        }
      }
      log.info(
          "run {}: no candidate host can route it now ({}); waiting {}",
          ref.runId(),
          last.getMessage(),
          wait);
      Workflow.sleep(wait);
      wait =
          wait.multipliedBy(2).compareTo(MAX_BUSY_WAIT) > 0 ? MAX_BUSY_WAIT : wait.multipliedBy(2);
    }
  }

  private List<String> hosts() {
    String pinned = input.experiment().host();
    return pinned != null ? List.of(pinned) : input.candidateHosts();
  }

  private CollectResult collect(
      String host,
      RunRef ref,
      Experiment experiment,
      GpuRouting routing,
      String handle,
      List<String> verifiedUuids,
      RunFailure failure,
      long startedAt) {
    return stub(RunActivityOptions.collect(host, "collect " + ref.runId() + " a" + ref.attempt()))
        .collect(
            new CollectRequest(
                ref,
                experiment,
                routing,
                handle,
                verifiedUuids,
                failure,
                startedAt,
                Workflow.currentTimeMillis(),
                input.metric()));
  }

  private void cleanup(String host, RunRef ref, String handle, GpuRouting routing) {
    CleanupResult result =
        stub(RunActivityOptions.cleanup(host, "cleanup " + ref.runId() + " a" + ref.attempt()))
            .cleanup(new CleanupRequest(ref, handle, routing));
    for (QuarantinedGpu q : result.quarantined()) {
      quarantined.put(q.uuid(), q);
      log.warn(
          "run {}: GPU {} on {} quarantined: {}; release with `{}`",
          ref.runId(),
          q.uuid(),
          q.host(),
          q.reason(),
          q.releaseCommand());
    }
  }

  private RunOutcome outcome(
      RunRef ref,
      String host,
      GpuRouting routing,
      List<String> verifiedUuids,
      CollectResult collected,
      long startedAt) {
    Map<String, Object> summary =
        collected.resultSummary() == null ? Map.of() : collected.resultSummary();
    return new RunOutcome(
        ref.runId(),
        collected.failure() == null ? RunOutcome.Status.COMPLETED : RunOutcome.Status.FAILED,
        ref.attempt(),
        host,
        collected.failure(),
        routing == null ? List.of() : routing.uuids(),
        verifiedUuids == null ? List.of() : verifiedUuids,
        summary,
        startedAt,
        Workflow.currentTimeMillis(),
        List.of(),
        collected.failure() == null ? collected.metric() : null);
  }

  private static RunActivities stub(ActivityOptions options) {
    return Workflow.newActivityStub(RunActivities.class, options);
  }

  private void showPhase(String phase, int attempt) {
    this.phase = phase;
    this.phaseAttempt = attempt;
    Workflow.setCurrentDetails(RunLabels.phaseTable(input, attempt, phase));
  }

  /**
   * Shown only while the attempt that sent it is running (in await): a step that arrives late,
   * after the attempt moved on to collecting or a new attempt began, is dropped. Sets the current
   * details and nothing else, so it adds no command to the history.
   */
  @Override
  public void runStep(RunStep signal) {
    if (input == null
        || signal == null
        || signal.step() == null
        || signal.step().isBlank()
        || phase == null
        || signal.attempt() != phaseAttempt
        || !phase.startsWith(RUNNING_PHASE)) {
      return;
    }
    Workflow.setCurrentDetails(RunLabels.phaseTable(input, phaseAttempt, phase, signal.step()));
  }
}
