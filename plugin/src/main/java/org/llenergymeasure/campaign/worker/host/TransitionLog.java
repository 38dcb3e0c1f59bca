package org.llenergymeasure.campaign.worker.host;

import io.temporal.failure.ApplicationFailure;
import java.util.Locale;
import java.util.stream.Collectors;
import org.llenergymeasure.campaign.activities.RunFailureException;
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
import org.llenergymeasure.campaign.workflows.host.RunRef;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;
import org.llenergymeasure.campaign.workflows.host.VerifyResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per run transition (routed, launched, verified, exited, collected, cleaned up, or a
 * step's failure with its type) and per cooldown and idle baseline, with the facts of the step's
 * own request and result, on the logger {@value #LOGGER}: what the shipped logback configuration
 * writes to {@code LLEM_HOME/logs/}. {@link HostStepInterceptor} calls it; a retried step logs
 * again, which is what happened.
 */
public final class TransitionLog {

  public static final String LOGGER = "org.llenergymeasure.campaign.transitions";
  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  private TransitionLog() {}

  /** A step returned {@code result}; a request or result of another kind logs nothing. */
  static void succeeded(String hostId, Object request, Object result) {
    if (request instanceof RouteRequest r && result instanceof GpuRouting routing) {
      log.info(
          "{} routed on {} to GPUs {}",
          name(r.run()),
          hostId,
          routing.devices().stream()
              .map(d -> d.index() + "=" + d.uuid())
              .collect(Collectors.joining(",")));
    } else if (request instanceof LaunchRequest r && result instanceof LaunchResult launched) {
      log.info("{} launched: {} ({})", name(r.run()), launched.handle(), launched.state());
    } else if (request instanceof VerifyRequest r && result instanceof VerifyResult verified) {
      log.info("{} verified: sees {}", name(r.run()), String.join(",", verified.verifiedUuids()));
    } else if (request instanceof AwaitRequest r && result instanceof AwaitResult exited) {
      log.info(
          "{} exited {} after {} s",
          name(r.run()),
          exited.exitCode(),
          exited.durationMillis() / 1000);
    } else if (request instanceof CollectRequest r && result instanceof CollectResult collected) {
      log.info(
          "{} {}{}",
          name(r.run()),
          collected.status(),
          collected.failure() == null
              ? ""
              : ": " + collected.failure().type() + ": " + collected.failure().message());
    } else if (request instanceof CleanupRequest r) {
      cleanedUp(r.run(), result instanceof CleanupResult c ? c : null);
    } else if (request instanceof CooldownRequest r && result instanceof CooldownResult cooled) {
      log.info(
          "{} cooldown on {}: {} after {} s{}",
          r.runId(),
          hostId,
          cooled.reached() ? "reached" : "not reached",
          cooled.waitedMillis() / 1000,
          cooled.note() == null ? "" : " (" + cooled.note() + ")");
    } else if (request instanceof IdleBaselineRequest r
        && result instanceof IdleBaselineResult baseline) {
      log.info("campaign {} idle baseline on {}: {}", r.campaign(), hostId, baseline.note());
    }
  }

  private static void cleanedUp(RunRef run, CleanupResult result) {
    if (result == null || result.quarantined().isEmpty()) {
      log.info("{} cleaned up", name(run));
      return;
    }
    result
        .quarantined()
        .forEach(
            q ->
                log.warn(
                    "{} cleaned up; GPU {} quarantined: {}; release with `{}`",
                    name(run),
                    q.uuid(),
                    q.reason(),
                    q.releaseCommand()));
  }

  /**
   * A run step ended by {@code e}: its failure type and message, or what stopped it. Other steps'
   * failures log nothing here (the workflow reports them).
   */
  static void failed(String activityType, Object request, RuntimeException e) {
    RunRef run = runOf(request);
    if (run == null) {
      return;
    }
    String step = activityType.toLowerCase(Locale.ROOT);
    if (e instanceof ApplicationFailure f) {
      log.info("{} {} failed: {}: {}", name(run), step, f.getType(), f.getOriginalMessage());
    } else if (e instanceof RunFailureException f) {
      log.info("{} {} failed: {}: {}", name(run), step, f.type(), f.getMessage());
    } else {
      log.info("{} {} stopped: {}", name(run), step, e.toString());
    }
  }

  private static RunRef runOf(Object request) {
    if (request instanceof RouteRequest r) {
      return r.run();
    } else if (request instanceof LaunchRequest r) {
      return r.run();
    } else if (request instanceof VerifyRequest r) {
      return r.run();
    } else if (request instanceof AwaitRequest r) {
      return r.run();
    } else if (request instanceof CollectRequest r) {
      return r.run();
    } else if (request instanceof CleanupRequest r) {
      return r.run();
    }
    return null;
  }

  private static String name(RunRef run) {
    return "run " + run.campaign() + "/" + run.runId() + " a" + run.attempt();
  }
}
