package org.llenergymeasure.campaign.worker.host;

import io.temporal.failure.ApplicationFailure;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.AwaitResult;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.CleanupResult;
import org.llenergymeasure.campaign.workflows.host.CollectRequest;
import org.llenergymeasure.campaign.workflows.host.CollectResult;
import org.llenergymeasure.campaign.workflows.host.CooldownRequest;
import org.llenergymeasure.campaign.workflows.host.CooldownResult;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.IdleBaselineRequest;
import org.llenergymeasure.campaign.workflows.host.IdleBaselineResult;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;
import org.llenergymeasure.campaign.workflows.host.RouteRequest;
import org.llenergymeasure.campaign.workflows.host.RunActivities;
import org.llenergymeasure.campaign.workflows.host.RunRef;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;
import org.llenergymeasure.campaign.workflows.host.VerifyResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's run activities with one log line per run transition (routed, launched, verified,
 * exited, collected, cleaned up, or a step's failure with its type), on the logger {@value
 * #LOGGER}: what the shipped logback configuration writes to {@code LLEM_HOME/logs/}. A retried
 * step logs again, which is what happened.
 */
public final class TransitionLog implements RunActivities {

  public static final String LOGGER = "org.llenergymeasure.campaign.transitions";
  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  private final RunActivities delegate;
  private final String hostId;

  public TransitionLog(RunActivities delegate, String hostId) {
    this.delegate = delegate;
    this.hostId = hostId;
  }

  @Override
  public GpuRouting route(RouteRequest request) {
    GpuRouting routing = step(request.run(), "route", () -> delegate.route(request));
    log.info(
        "{} routed on {} to GPUs {}",
        name(request.run()),
        hostId,
        routing.devices().stream()
            .map(d -> d.index() + "=" + d.uuid())
            .collect(Collectors.joining(",")));
    return routing;
  }

  @Override
  public LaunchResult launch(LaunchRequest request) {
    LaunchResult r = step(request.run(), "launch", () -> delegate.launch(request));
    log.info("{} launched: {} ({})", name(request.run()), r.handle(), r.state());
    return r;
  }

  @Override
  public VerifyResult verify(VerifyRequest request) {
    VerifyResult r = step(request.run(), "verify", () -> delegate.verify(request));
    log.info("{} verified: sees {}", name(request.run()), String.join(",", r.verifiedUuids()));
    return r;
  }

  @Override
  public AwaitResult await(AwaitRequest request) {
    AwaitResult r = step(request.run(), "await", () -> delegate.await(request));
    log.info(
        "{} exited {} after {} s", name(request.run()), r.exitCode(), r.durationMillis() / 1000);
    return r;
  }

  @Override
  public CollectResult collect(CollectRequest request) {
    CollectResult r = step(request.run(), "collect", () -> delegate.collect(request));
    log.info(
        "{} {}{}",
        name(request.run()),
        r.status(),
        r.failure() == null ? "" : ": " + r.failure().type() + ": " + r.failure().message());
    return r;
  }

  @Override
  public CooldownResult cooldown(CooldownRequest request) {
    CooldownResult r = delegate.cooldown(request);
    log.info(
        "{} cooldown on {}: {} after {} s{}",
        request.runId(),
        hostId,
        r.reached() ? "reached" : "not reached",
        r.waitedMillis() / 1000,
        r.note() == null ? "" : " (" + r.note() + ")");
    return r;
  }

  @Override
  public CleanupResult cleanup(CleanupRequest request) {
    CleanupResult r = step(request.run(), "cleanup", () -> delegate.cleanup(request));
    if (r != null && !r.quarantined().isEmpty()) {
      r.quarantined()
          .forEach(
              q ->
                  log.warn(
                      "{} cleaned up; GPU {} quarantined: {}; release with `{}`",
                      name(request.run()),
                      q.uuid(),
                      q.reason(),
                      q.releaseCommand()));
    } else {
      log.info("{} cleaned up", name(request.run()));
    }
    return r;
  }

  @Override
  public IdleBaselineResult idleBaseline(IdleBaselineRequest request) {
    IdleBaselineResult r = delegate.idleBaseline(request);
    log.info("campaign {} idle baseline on {}: {}", request.campaign(), hostId, r.note());
    return r;
  }

  private <T> T step(RunRef run, String step, Supplier<T> body) {
    try {
      return body.get();
    } catch (ApplicationFailure f) {
      log.info("{} {} failed: {}: {}", name(run), step, f.getType(), f.getOriginalMessage());
      throw f;
    } catch (RuntimeException e) {
      log.info("{} {} stopped: {}", name(run), step, e.toString());
      throw e;
    }
  }

  private static String name(RunRef run) {
    return "run " + run.campaign() + "/" + run.runId() + " a" + run.attempt();
  }
}
