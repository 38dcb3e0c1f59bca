package org.llenergymeasure.campaign.worker.host;

import java.util.Map;
import java.util.function.Supplier;
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
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;
import org.llenergymeasure.campaign.workflows.host.VerifyResult;

/**
 * TEST ONLY: with {@code LLEM_TEST_STEP_DELAY_MS} set, each host step of a run waits that long
 * after doing its work and before reporting it, so the fault drills can kill -9 the worker inside a
 * chosen step (its effect made, its completion not yet recorded: the hardest moment for
 * idempotency). Unset, the steps are passed through untouched.
 */
final class TestStepDelay implements RunActivities {

  static final String VARIABLE = "LLEM_TEST_STEP_DELAY_MS";

  private final RunActivities delegate;
  private final long delayMs;

  private TestStepDelay(RunActivities delegate, long delayMs) {
    this.delegate = delegate;
    this.delayMs = delayMs;
  }

  /** The steps as they are, or delayed when the environment asks for it. */
  static RunActivities wrapIfAsked(RunActivities steps, Map<String, String> env) {
    String value = env.get(VARIABLE);
    if (value == null || value.isBlank()) {
      return steps;
    }
    try {
      long ms = Long.parseLong(value.strip());
      return ms > 0 ? new TestStepDelay(steps, ms) : steps;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          VARIABLE + " must be a number of milliseconds, not `" + value + "`");
    }
  }

  private <T> T delayed(Supplier<T> step) {
    T result = step.get();
    try {
      Thread.sleep(delayMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return result;
  }

  @Override
  public GpuRouting route(RouteRequest request) {
    return delayed(() -> delegate.route(request));
  }

  @Override
  public LaunchResult launch(LaunchRequest request) {
    return delayed(() -> delegate.launch(request));
  }

  @Override
  public VerifyResult verify(VerifyRequest request) {
    return delayed(() -> delegate.verify(request));
  }

  @Override
  public AwaitResult await(AwaitRequest request) {
    return delayed(() -> delegate.await(request));
  }

  @Override
  public CollectResult collect(CollectRequest request) {
    return delayed(() -> delegate.collect(request));
  }

  @Override
  public CleanupResult cleanup(CleanupRequest request) {
    return delayed(() -> delegate.cleanup(request));
  }

  @Override
  public IdleBaselineResult idleBaseline(IdleBaselineRequest request) {
    // Heartbeats on its own, after every reading.
    return delegate.idleBaseline(request);
  }

  @Override
  public CooldownResult cooldown(CooldownRequest request) {
    return delegate.cooldown(request);
  }
}
