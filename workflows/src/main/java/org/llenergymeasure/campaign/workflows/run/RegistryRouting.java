package org.llenergymeasure.campaign.workflows.run;

import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.function.Consumer;
import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.GpuCareActivities;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.IdleBaselineRequest;
import org.llenergymeasure.campaign.workflows.host.IdleBaselineResult;
import org.llenergymeasure.campaign.workflows.host.RouteRequest;
import org.llenergymeasure.campaign.workflows.host.RunActivities;
import org.llenergymeasure.campaign.workflows.host.RunRef;
import org.llenergymeasure.campaign.workflows.placement.Placement;
import org.llenergymeasure.campaign.workflows.placement.PlacementActivities;
import org.llenergymeasure.campaign.workflows.placement.PlacementRequest;
import org.slf4j.Logger;

/**
 * Routing a run placed from the host registry (workflow code): each round reads the registry
 * through the placement activity, then tries the candidates in order as routing on several hosts
 * does. The host's lease decides: a candidate that refuses (busy, draining, its GPUs not as the
 * registry said) passes the run to the next; with none left the run waits, saying for what, and
 * reads the registry again. A run no registered host could ever fit fails.
 */
final class RegistryRouting {

  /** The change that brought placement from the registry (Workflow.getVersion). */
  static final String CHANGE_ID = "registry-placement";

  private static final Logger log = Workflow.getLogger(RegistryRouting.class);

  private static final Duration FIRST_WAIT = Duration.ofSeconds(5);

  /** As the campaign's own baselines at its start (IdleBaselines). */
  private static final int SAMPLES = 5;

  private static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(1);

  /** At most one registry read and one timer per five minutes while a run waits. */
  private static final Duration MAX_WAIT = Duration.ofMinutes(5);

  /** Thrown to the attempt when no registered host could ever fit the run. */
  static final class Unplaceable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unplaceable(String why) {
      super(why);
    }
  }

  private final RunInput input;
  private final Consumer<String> phase;

  RegistryRouting(RunInput input, Consumer<String> phase) {
    this.input = input;
    this.phase = phase;
  }

  GpuRouting route(RunRef ref, RouteRequest request, String summary) {
    PlacementActivities placement =
        Workflow.newLocalActivityStub(PlacementActivities.class, RunActivityOptions.place());
    PlacementRequest asked =
        new PlacementRequest(ref.runId(), input.placement(), input.experiment().gpus());
    Duration wait = FIRST_WAIT;
    while (true) {
      String waitFor;
      Placement p;
      try {
        p = placement.place(asked);
      } catch (ActivityFailure f) {
        if (RunFailures.isCancellation(f)) {
          throw f;
        }
        p =
            Placement.waiting(
                "the host registry could not be read (" + RunFailures.of(f).message() + ")");
      }
      if (p.never() != null) {
        throw new Unplaceable(p.never());
      }
      waitFor = p.waitFor();
      for (String host : p.candidates()) {
        try {
          return Workflow.newActivityStub(
                  RunActivities.class, RunActivityOptions.routeOnce(host, summary + " on " + host))
              .route(request);
        } catch (ActivityFailure f) {
          if (RunFailures.isCancellation(f) || !refusedHere(f)) {
            throw f;
          }
          waitFor =
              (waitFor == null ? "" : waitFor + "; ")
                  + host
                  + " refused: "
                  + RunFailures.of(f).message();
        }
      }
      phase.accept("waiting: " + waitFor);
      log.info(
          "run {}: not placed yet: {}; reading the registry again in {}",
          ref.runId(),
          waitFor,
          wait);
      Workflow.sleep(wait);
      wait = wait.multipliedBy(2).compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait.multipliedBy(2);
    }
  }

  /**
   * The idle baseline of {@code host} when the campaign takes idle baselines and has none of it (a
   * host that joined the pool after the campaign started): taken after the run's routing there,
   * before its launch, so its own GPUs are leased and idle. Null when not wanted, already known, or
   * it could not be taken (the run's cooldown then waits for the temperature limit only, as at
   * campaign start).
   */
  static IdleBaselineResult joinedHostBaseline(RunInput input, String host) {
    if (input.idleBaselineHosts() == null || input.idleBaselineHosts().contains(host)) {
      return null;
    }
    try {
      return Workflow.newActivityStub(
              GpuCareActivities.class, RunActivityOptions.idleBaseline(host))
          .idleBaseline(new IdleBaselineRequest(input.campaign(), SAMPLES, SAMPLE_INTERVAL));
    } catch (ActivityFailure f) {
      if (RunFailures.isCancellation(f)) {
        throw f;
      }
      log.warn("no idle baseline for host {}: {}", host, RunFailures.of(f).message());
      return null;
    }
  }

  /**
   * A candidate's refusal that another host may not have: busy or absent (as on several hosts), or
   * for {@code count} a host whose GPUs turned out not to fit (the registry's record was older).
   */
  private boolean refusedHere(ActivityFailure f) {
    return RunFailures.tryNextHost(f)
        || (input.experiment().gpus().kind() == GpuRequest.Kind.COUNT
            && FailureTypes.INVALID_GPU_SELECTION.equals(RunFailures.of(f).type()));
  }
}
