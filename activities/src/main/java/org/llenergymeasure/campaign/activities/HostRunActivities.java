package org.llenergymeasure.campaign.activities;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.client.ActivityCanceledException;
import io.temporal.failure.ApplicationFailure;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.llenergymeasure.campaign.activities.container.ProbeOutputs;
import org.llenergymeasure.campaign.activities.gpu.inventory.HostInventory;
import org.llenergymeasure.campaign.activities.gpu.inventory.InventoryException;
import org.llenergymeasure.campaign.activities.gpu.inventory.InventorySource;
import org.llenergymeasure.campaign.activities.gpu.lease.GpuLease;
import org.llenergymeasure.campaign.activities.gpu.lease.GpuLeaseStore;
import org.llenergymeasure.campaign.activities.gpu.lease.LeaseOwner;
import org.llenergymeasure.campaign.activities.gpu.quarantine.QuarantineCheck;
import org.llenergymeasure.campaign.activities.gpu.routing.GpuRouter;
import org.llenergymeasure.campaign.activities.gpu.routing.RoutingRequest;
import org.llenergymeasure.campaign.activities.gpu.verify.ProbeOutputException;
import org.llenergymeasure.campaign.activities.gpu.verify.RoutingVerifier;
import org.llenergymeasure.campaign.activities.gpu.verify.Verification;
import org.llenergymeasure.campaign.activities.ledger.ResultCollector;
import org.llenergymeasure.campaign.activities.measurement.RunSampler;
import org.llenergymeasure.campaign.activities.progress.StepSignals;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.config.BusyPolicy;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.AwaitProgress;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.AwaitResult;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.CleanupResult;
import org.llenergymeasure.campaign.workflows.host.CollectRequest;
import org.llenergymeasure.campaign.workflows.host.CollectResult;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;
import org.llenergymeasure.campaign.workflows.host.QuarantinedGpu;
import org.llenergymeasure.campaign.workflows.host.RouteRequest;
import org.llenergymeasure.campaign.workflows.host.RunActivities;
import org.llenergymeasure.campaign.workflows.host.RunRef;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;
import org.llenergymeasure.campaign.workflows.host.VerifyResult;
import org.llenergymeasure.campaign.workflows.run.ExperimentWorkflow;
import org.llenergymeasure.campaign.workflows.run.RunStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host activities of a run on this worker: wires the pure cores (router, verifier) and the thin
 * edges (inventory, leases, Docker, ledger) to Temporal. Everything that can fail for a reason a
 * user should see becomes an {@code ApplicationFailure} with a stable type.
 */
public final class HostRunActivities implements RunActivities {

  private static final Logger log = LoggerFactory.getLogger(HostRunActivities.class);

  private final HostSettings settings;
  private final InventorySource inventory;
  private final GpuLeaseStore leases;
  private final RunBackendByAttach backends;
  private final ResultCollector collector;
  private final GpuCare care;
  private final RunSampler sampler;
  private final HostDrain drain;

  /**
   * With everything the host does for its GPUs and its own GPU sampling: the run's GPUs are read
   * while it is in await, and once at routing as the idle reference (the collector then measures
   * and judges the attempt).
   */
  public HostRunActivities(
      HostSettings settings,
      InventorySource inventory,
      GpuLeaseStore leases,
      RunBackendByAttach backends,
      ResultCollector collector,
      GpuCare care,
      RunSampler sampler) {
    this(settings, inventory, leases, backends, collector, care, sampler, HostDrain.NEVER);
  }

  /** As above, on a host that refuses new runs while {@code drain} says it is draining. */
  public HostRunActivities(
      HostSettings settings,
      InventorySource inventory,
      GpuLeaseStore leases,
      RunBackendByAttach backends,
      ResultCollector collector,
      GpuCare care,
      RunSampler sampler,
      HostDrain drain) {
    this.drain = drain;
    this.settings = settings;
    this.inventory = inventory;
    this.leases = leases;
    this.backends = backends;
    this.collector = collector;
    this.care = care;
    this.sampler = sampler;
  }

  @Override
  public GpuRouting route(RouteRequest request) {
    return typed(
        () -> {
          HostInventory host = inventory.read();
          Experiment e = request.experiment();
          LeaseOwner owner = owner(request.run());
          if (drain.draining()) {
            // A route retried after a crash may hold GPUs here already: the run goes elsewhere.
            leases.release(owner);
            throw HostDrain.refusal(settings.hostId(), request.run().runId());
          }
          List<QuarantinedGpu> quarantined = care.reviewAtRoute(host);
          // count: N skips GPUs leased to other runs or quarantined; explicit selections wait for
          // them below.
          Set<String> unavailable = new HashSet<>(leases.leasedByOthers(owner));
          quarantined.forEach(q -> unavailable.add(q.uuid()));
          AttachMode attach = attachFor(request.attach(), host);
          if (!quarantined.isEmpty()) {
            // A quarantined GPU is refused before the busy check, so the message names the
            // quarantine (and how to release it) rather than only the process left on it.
            GpuRouting selected =
                GpuRouter.route(
                    host,
                    new RoutingRequest(
                        e.gpus(), e.parallelism(), attach, e.env(), BusyPolicy.IGNORE, false),
                    unavailable);
            QuarantineCheck.refuseQuarantined(
                settings.hostId(), selected.uuids(), quarantined, e.busy());
          }
          GpuRouting routing =
              GpuRouter.route(
                  host,
                  new RoutingRequest(e.gpus(), e.parallelism(), attach, e.env(), e.busy(), false),
                  unavailable);
          leases.acquire(owner, routing.uuids());
          care.rememberAtRoute(settings, request.run(), host, routing);
          // Leased and not yet running: the GPUs' idle reference for judging the measurement.
          sampler.sampleIdle(AttemptFolder.of(settings, request.run()), routing.uuids());
          log.info("route {}: {} on {}", request.run().runId(), routing.uuids(), settings.hostId());
          return routing;
        });
  }

  /**
   * A simulated host has no NVIDIA runtime, so Docker cannot serve a DeviceRequest there: the
   * default attach mode becomes {@code env} (the test image's simulated runtime reads it).
   */
  static AttachMode attachFor(AttachMode requested, HostInventory host) {
    return host.simulated() && requested == AttachMode.DEVICE_REQUEST ? AttachMode.ENV : requested;
  }

  @Override
  public LaunchResult launch(LaunchRequest request) {
    return typed(() -> backends.forRouting(request.routing()).launch(request, settings));
  }

  @Override
  public VerifyResult verify(VerifyRequest request) {
    return typed(
        () -> {
          // A retry after a crash that followed a passed verification must not probe again: the
          // run may already be running (or done), and a probe of an exited container fails.
          AttemptFolder folder = AttemptFolder.of(settings, request.run());
          Optional<VerifyResult> passedBefore = VerifiedRecord.read(folder);
          RunBackend backend = backends.forHandle(request.handle());
          if (passedBefore.isPresent()) {
            backend.release(request.handle());
            return passedBefore.get();
          }
          ProbeOutputs outputs = backend.probe(request, settings);
          Verification v =
              RoutingVerifier.verify(request.routing(), outputs.deviceView(), outputs.cudaView());
          if (!v.passed()) {
            backend.discard(request.handle());
            throw new RunFailureException(
                FailureTypes.GPU_ROUTING_MISMATCH,
                "run "
                    + request.run().runId()
                    + " does not see the GPUs it was routed: "
                    + v.explanation(),
                false);
          }
          VerifyResult result = new VerifyResult(v.deviceView(), v.cudaView(), v.explanation());
          VerifiedRecord.write(folder, result);
          backend.release(request.handle());
          return result;
        });
  }

  @Override
  public AwaitResult await(AwaitRequest request) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    AwaitProgress previous = context.getHeartbeatDetails(AwaitProgress.class).orElse(null);
    RunRef run = request.run();
    // Readings go to the attempt folder, so an await retried on a restarted worker continues them.
    try (RunSampler.Sampling sampling =
        sampler.start(
            AttemptFolder.of(settings, run), leasedGpus(run), run.runId() + "-a" + run.attempt())) {
      return awaitRun(request, context, previous);
    }
  }

  /** The GPUs this host leased to the attempt (held from route to cleanup). */
  private List<String> leasedGpus(RunRef run) {
    if (!sampler.unavailableReason().isEmpty()) {
      return List.of();
    }
    LeaseOwner owner = owner(run);
    return leases.holders().stream()
        .filter(l -> l.owner().equals(owner))
        .map(GpuLease::uuid)
        .toList();
  }

  private AwaitResult awaitRun(
      AwaitRequest request, ActivityExecutionContext context, AwaitProgress previous) {
    try (StepSignals heartbeater =
        new StepSignals(
            new ActivityHeartbeater(context::heartbeat),
            stepSignal(context, request.run()),
            System::currentTimeMillis,
            StepSignals.EVERY,
            StepSignals.CAP,
            request.run().runId() + "-a" + request.run().attempt())) {
      return typed(
          () ->
              backends.forHandle(request.handle()).await(request, settings, previous, heartbeater));
    }
  }

  /**
   * Signals the workflow execution that scheduled this await (the run's ExperimentWorkflow) with
   * the run's step, through the worker's own client.
   */
  private static Consumer<String> stepSignal(ActivityExecutionContext context, RunRef run) {
    ActivityInfo info = context.getInfo();
    return step ->
        context
            .getWorkflowClient()
            .newUntypedWorkflowStub(
                info.getWorkflowId(), Optional.ofNullable(info.getRunId()), Optional.empty())
            .signal(ExperimentWorkflow.RUN_STEP, new RunStep(run.attempt(), step));
  }

  @Override
  public CollectResult collect(CollectRequest request) {
    return typed(() -> collector.collect(request, settings));
  }

  @Override
  public CleanupResult cleanup(CleanupRequest request) {
    return typed(
        () -> {
          backends.forCleanup(request).cleanup(request, settings);
          // Checked before the lease goes: until the quarantine is recorded, the lease still
          // keeps every other run off the GPU.
          List<QuarantinedGpu> quarantined =
              care.afterCleanup(settings, request.run(), request.routing());
          leases.release(owner(request.run()));
          return new CleanupResult(quarantined);
        });
  }

  static LeaseOwner owner(RunRef run) {
    return new LeaseOwner(run.campaign(), run.runId(), run.attempt());
  }

  private static <T> T typed(Supplier<T> step) {
    try {
      return step.get();
    } catch (RunFailureException e) {
      throw failure(e.type(), e.getMessage(), e.retryable());
    } catch (ProbeOutputException e) {
      throw failure(e.type(), e.getMessage(), false);
    } catch (InventoryException e) {
      throw failure(FailureTypes.INVENTORY_UNAVAILABLE, e.getMessage(), true);
    } catch (RunCanceledException e) {
      // Temporal's own cancellation must leave the activity as it came in: the worker then
      // reports the activity canceled (not failed and retried), which the workflow waits for.
      if (e.getCause() instanceof ActivityCanceledException canceled) {
        throw canceled;
      }
      throw Activity.wrap(e);
    }
  }

  private static ApplicationFailure failure(String type, String message, boolean retryable) {
    return retryable
        ? ApplicationFailure.newFailure(message, type)
        : ApplicationFailure.newNonRetryableFailure(message, type);
  }
}
