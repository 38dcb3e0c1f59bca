package org.llenergymeasure.campaign.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.container.Heartbeater;
import org.llenergymeasure.campaign.activities.container.ProbeOutputs;
import org.llenergymeasure.campaign.activities.gpu.inventory.FileInventorySource;
import org.llenergymeasure.campaign.activities.gpu.lease.GpuLeaseStore;
import org.llenergymeasure.campaign.activities.gpu.telemetry.NoGpuTelemetry;
import org.llenergymeasure.campaign.activities.ledger.ResultCollector;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.activities.workflow.ScriptedRunBackend;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.config.BusyPolicy;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.workflows.host.AwaitProgress;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.AwaitResult;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;
import org.llenergymeasure.campaign.workflows.host.RouteRequest;
import org.llenergymeasure.campaign.workflows.host.RunRef;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;
import org.llenergymeasure.campaign.workflows.host.VerifyResult;

/**
 * Verify retried after a worker crash (found by the kill-in-Verify drill): once verification
 * passed, the run was released and may already have exited, so a retry must answer from the record
 * the first try wrote instead of probing again; a retry before anything passed probes.
 */
class VerifyRetryTest {

  @TempDir Path tmp;

  @Test
  void aRetryAfterAPassedVerificationDoesNotProbeAgain() {
    Probes containers = new Probes(new ScriptedRunBackend(System::currentTimeMillis));
    HostRunActivities host = host(containers);
    RunRef run = new RunRef("verify-retry", "a.c1", "a", 1, 1);
    GpuRouting routing = host.route(new RouteRequest(run, experiment(), AttachMode.ENV));
    String handle = host.launch(new LaunchRequest(run, experiment(), routing)).handle();

    VerifyResult first = host.verify(new VerifyRequest(run, experiment(), routing, handle));
    assertEquals(routing.expectedUuids(), first.deviceViewUuids());
    assertEquals(1, containers.probes.get());
    assertTrue(
        Files.exists(
            tmp.resolve("results").resolve(run.resultPath()).resolve(VerifiedRecord.FILE)));

    // The run has exited meanwhile: a probe now would fail.
    containers.failProbes = true;
    VerifyResult retried = host.verify(new VerifyRequest(run, experiment(), routing, handle));
    assertEquals(first, retried);
    assertEquals(1, containers.probes.get(), "no second probe");
    assertEquals(2, containers.releases.get(), "release is repeated (idempotent)");
  }

  @Test
  void aRetryBeforeAnythingPassedProbesAgain() {
    Probes containers = new Probes(new ScriptedRunBackend(System::currentTimeMillis));
    containers.failProbes = true;
    HostRunActivities host = host(containers);
    RunRef run = new RunRef("verify-retry", "b.c1", "b", 1, 1);
    GpuRouting routing = host.route(new RouteRequest(run, experiment(), AttachMode.ENV));
    String handle = host.launch(new LaunchRequest(run, experiment(), routing)).handle();
    ApplicationFailure failure =
        assertThrows(
            ApplicationFailure.class,
            () -> host.verify(new VerifyRequest(run, experiment(), routing, handle)));
    assertEquals("ProbeFailed", failure.getType());
    assertEquals(1, containers.probes.get());
    assertEquals(0, containers.releases.get(), "never released without a passed verification");
  }

  private HostRunActivities host(RunBackend containers) {
    Path inventory = DockerExtension.repoRoot().resolve("examples/inventories/sim-4gpu-idle");
    HostSettings settings =
        new HostSettings("verify-host", tmp.resolve("results"), inventory, Map.of(), null);
    return TestHostRunActivities.of(
        settings,
        new FileInventorySource(inventory, "verify-host"),
        GpuLeaseStore.forHost(tmp.resolve("home"), "verify-host"),
        RunBackendByAttach.only(containers),
        new ResultCollector(containers, new NoGpuTelemetry("no GPU telemetry here")));
  }

  private static Experiment experiment() {
    return new Experiment(
        "a",
        "img:1",
        List.of("true"),
        GpuRequest.of(List.of("1")),
        null,
        Map.of(),
        List.of(),
        List.of(),
        "/results",
        "result.json",
        null,
        "private",
        Duration.ofMinutes(1),
        Duration.ofMinutes(1),
        0,
        null,
        "bridge",
        BusyPolicy.WAIT,
        null,
        null,
        Map.of(),
        0,
        null,
        false,
        null,
        null,
        null);
  }

  /**
   * The scripted containers, counting probes and releases, with probes that can be made to fail.
   */
  private static final class Probes implements RunBackend {
    final ScriptedRunBackend inner;
    final AtomicInteger probes = new AtomicInteger();
    final AtomicInteger releases = new AtomicInteger();
    volatile boolean failProbes;

    Probes(ScriptedRunBackend inner) {
      this.inner = inner;
    }

    @Override
    public LaunchResult launch(LaunchRequest request, HostSettings settings) {
      return inner.launch(request, settings);
    }

    @Override
    public ProbeOutputs probe(VerifyRequest request, HostSettings settings) {
      probes.incrementAndGet();
      if (failProbes) {
        throw new RunFailureException("ProbeFailed", "container is not running", false);
      }
      return inner.probe(request, settings);
    }

    @Override
    public void release(String handle) {
      releases.incrementAndGet();
      inner.release(handle);
    }

    @Override
    public void discard(String handle) {
      inner.discard(handle);
    }

    @Override
    public AwaitResult await(
        AwaitRequest request,
        HostSettings settings,
        AwaitProgress previous,
        Heartbeater heartbeater) {
      return inner.await(request, settings, previous, heartbeater);
    }

    @Override
    public void cleanup(CleanupRequest request, HostSettings settings) {
      inner.cleanup(request, settings);
    }

    @Override
    public boolean saveLog(String handle, Path attemptDir) {
      return inner.saveLog(handle, attemptDir);
    }
  }
}
