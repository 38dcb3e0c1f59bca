package org.llenergymeasure.campaign.activities.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.HostRunActivities;
import org.llenergymeasure.campaign.activities.RunBackend;
import org.llenergymeasure.campaign.activities.RunBackendByAttach;
import org.llenergymeasure.campaign.activities.TestHostRunActivities;
import org.llenergymeasure.campaign.activities.container.Heartbeater;
import org.llenergymeasure.campaign.activities.gpu.inventory.FileInventorySource;
import org.llenergymeasure.campaign.activities.gpu.lease.GpuLeaseStore;
import org.llenergymeasure.campaign.activities.gpu.telemetry.NoGpuTelemetry;
import org.llenergymeasure.campaign.activities.ledger.ResultCollector;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;

/**
 * Process mode through the host activities, with a container backend that fails the test if it is
 * ever called.
 */
@Tag("process")
class ProcessModeHostActivitiesTest {

  @TempDir Path tmp;

  /**
   * Through the host activities: a routing whose environment names the run's GPUs the way a
   * container would (0,1: renumbered) is caught by the simulated CUDA view before anything runs.
   */
  @Test
  void verifyCatchesAWrongEnvironmentAndKillsTheRunBeforeItMeasures() throws Exception {
    ProcessRunFixture fx = new ProcessRunFixture(tmp);
    ProcessRunBackend p = fx.processes();
    RunBackendByAttach noDocker = new RunBackendByAttach(new NoDocker(), p);
    HostRunActivities activities =
        TestHostRunActivities.of(
            fx.settings,
            new FileInventorySource(ProcessRunFixture.INVENTORY, ProcessRunFixture.HOST),
            GpuLeaseStore.forHost(tmp.resolve("home"), ProcessRunFixture.HOST),
            noDocker,
            new ResultCollector(noDocker, new NoGpuTelemetry("no GPU telemetry here")));
    LaunchRequest good =
        fx.launchRequest(
            "e.c1",
            new ProcessRunFixture.Exp().shell("echo measured > \"$LLEM_RESULTS_DIR/m.txt\""));
    GpuRouting routed = good.routing();
    Map<String, String> wrongEnv = new java.util.TreeMap<>(routed.env());
    wrongEnv.put("CUDA_VISIBLE_DEVICES", "0,1");
    GpuRouting wrong =
        new GpuRouting(
            routed.hostId(),
            AttachMode.PROCESS,
            routed.devices(),
            wrongEnv,
            null,
            routed.expectedDeviceCount(),
            routed.expectedUuids(),
            routed.mapping(),
            routed.simulated());
    LaunchRequest r = new LaunchRequest(good.run(), good.experiment(), wrong);

    LaunchResult l = activities.launch(r);
    ApplicationFailure f =
        assertThrows(
            ApplicationFailure.class,
            () -> activities.verify(new VerifyRequest(r.run(), r.experiment(), wrong, l.handle())));

    assertEquals("GpuRoutingMismatch", f.getType());
    // CUDA took host GPUs 0 and 1: GPU 0 was never routed to this run.
    String gpu0 = ProcessRunFixture.uuids().get(0).substring(0, "GPU-0a1b2c3d".length());
    assertTrue(f.getOriginalMessage().contains("CUDA saw " + gpu0), f.getOriginalMessage());
    Path dir = fx.attemptDir("e.c1");
    ProcessRunFixture.assertNothingLeft(dir);
    assertFalse(Files.exists(dir.resolve("go")));
    assertFalse(Files.exists(dir.resolve("out/m.txt")), "nothing was measured");
    activities.cleanup(new CleanupRequest(r.run(), l.handle(), wrong));
  }

  /** The container side, which process mode must never call. */
  private static final class NoDocker implements RunBackend {
    private static AssertionError used(String step) {
      return new AssertionError("process mode must not touch Docker: " + step);
    }

    @Override
    public LaunchResult launch(
        LaunchRequest request, org.llenergymeasure.campaign.activities.HostSettings settings) {
      throw used("launch");
    }

    @Override
    public org.llenergymeasure.campaign.activities.container.ProbeOutputs probe(
        VerifyRequest request, org.llenergymeasure.campaign.activities.HostSettings settings) {
      throw used("probe");
    }

    @Override
    public void release(String handle) {
      throw used("release");
    }

    @Override
    public void discard(String handle) {
      throw used("discard");
    }

    @Override
    public org.llenergymeasure.campaign.workflows.host.AwaitResult await(
        AwaitRequest request,
        org.llenergymeasure.campaign.activities.HostSettings settings,
        org.llenergymeasure.campaign.workflows.host.AwaitProgress previous,
        Heartbeater heartbeater) {
      throw used("await");
    }

    @Override
    public void cleanup(
        CleanupRequest request, org.llenergymeasure.campaign.activities.HostSettings settings) {
      throw used("cleanup");
    }

    @Override
    public boolean saveLog(String handle, Path attemptDir) {
      throw used("saveLog");
    }
  }
}
