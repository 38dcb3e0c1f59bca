package org.llenergymeasure.campaign.activities.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.HostRunActivities;
import org.llenergymeasure.campaign.activities.RunBackend;
import org.llenergymeasure.campaign.activities.RunBackendByAttach;
import org.llenergymeasure.campaign.activities.RunCanceledException;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.WorkerShutdownException;
import org.llenergymeasure.campaign.activities.container.Heartbeater;
import org.llenergymeasure.campaign.activities.gpu.inventory.FileInventorySource;
import org.llenergymeasure.campaign.activities.gpu.lease.GpuLeaseStore;
import org.llenergymeasure.campaign.activities.ledger.ResultCollector;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;

/** Every way a process-mode run can fail, and that none leaves a process behind. */
@Tag("process")
class ProcessFailuresTest {

  @TempDir Path tmp;

  private RunFailureException awaitFails(
      ProcessRunFixture fx, ProcessRunBackend p, LaunchRequest r, LaunchResult l, Heartbeater h) {
    return assertThrows(
        RunFailureException.class,
        () -> p.await(new AwaitRequest(r.run(), r.experiment(), l.handle()), fx.settings, null, h));
  }

  private LaunchResult launchAndRelease(
      ProcessRunFixture fx, ProcessRunBackend p, LaunchRequest r) {
    LaunchResult l = p.launch(r, fx.settings);
    p.release(l.handle());
    return l;
  }

  @Test
  void wallClockTimeoutKillsTheWholeRunIncludingChildrenThatLeftTheSession() throws Exception {
    ProcessRunFixture fx = new ProcessRunFixture(tmp);
    ProcessRunBackend p = fx.processes();
    ProcessRunFixture.Exp exp =
        new ProcessRunFixture.Exp()
            .shell("sleep 60 & setsid sleep 61 & while true; do echo busy; sleep 0.2; done");
    exp.timeout = Duration.ofSeconds(1);
    LaunchRequest r = fx.launchRequest("e.c1", exp);
    LaunchResult l = launchAndRelease(fx, p, r);
    Path dir = fx.attemptDir("e.c1");
    Thread.sleep(300);
    // Three shells/sleeps at least: the detection this test relies on does see them.
    assertTrue(
        ProcessRunFixture.processesOf(
                    ProcessRunFixture.recordedPid(dir), ProcessRunFixture.recordedToken(dir))
                .size()
            >= 3);

    RunFailureException e = awaitFails(fx, p, r, l, Heartbeater.none());

    assertEquals("WallClockTimeout", e.type());
    assertTrue(e.getMessage().contains("\"busy\""), e.getMessage());
    ProcessRunFixture.assertNothingLeft(dir);
    p.cleanup(new CleanupRequest(r.run(), l.handle(), r.routing()), fx.settings);
  }

  @Test
  void silenceIsMeasuredFromTheLastOutputAndKillsAQuietRun() throws Exception {
    ProcessRunFixture fx = new ProcessRunFixture(tmp);
    ProcessRunBackend p = fx.processes();
    ProcessRunFixture.Exp chatty =
        new ProcessRunFixture.Exp().shell("for i in 1 2 3 4 5 6 7 8; do echo $i; sleep 0.25; done");
    chatty.silence = Duration.ofSeconds(1);
    ProcessRunFixture.Exp quiet = new ProcessRunFixture.Exp().shell("echo starting; sleep 30");
    quiet.silence = Duration.ofSeconds(1);
    LaunchRequest rc = fx.launchRequest("chatty.c1", chatty);
    LaunchRequest rq = fx.launchRequest("quiet.c1", quiet);
    LaunchResult lc = launchAndRelease(fx, p, rc);
    LaunchResult lq = launchAndRelease(fx, p, rq);

    // Two seconds in all, never a second without output: not silent.
    assertEquals(
        0,
        p.await(
                new AwaitRequest(rc.run(), rc.experiment(), lc.handle()),
                fx.settings,
                null,
                Heartbeater.none())
            .exitCode());
    RunFailureException e = awaitFails(fx, p, rq, lq, Heartbeater.none());

    assertEquals("SilenceTimeout", e.type());
    assertTrue(e.getMessage().contains("\"starting\""), e.getMessage());
    ProcessRunFixture.assertNothingLeft(fx.attemptDir("quiet.c1"));
  }

  @Test
  void cancellationKillsTheRun() throws Exception {
    ProcessRunFixture fx = new ProcessRunFixture(tmp);
    ProcessRunBackend p = fx.processes();
    LaunchRequest r = fx.launchRequest("e.c1", new ProcessRunFixture.Exp().shell("sleep 60"));
    LaunchResult l = launchAndRelease(fx, p, r);
    AtomicInteger beats = new AtomicInteger();
    Heartbeater canceledOnThird =
        progress -> {
          if (beats.incrementAndGet() == 3) {
            throw new RunCanceledException("the run was canceled");
          }
        };

    assertThrows(
        RunCanceledException.class,
        () ->
            p.await(
                new AwaitRequest(r.run(), r.experiment(), l.handle()),
                fx.settings,
                null,
                canceledOnThird));
    ProcessRunFixture.assertNothingLeft(fx.attemptDir("e.c1"));
  }

  @Test
  void workerShutdownLeavesTheRunRunningAndCleanupThenKillsIt() throws Exception {
    ProcessRunFixture fx = new ProcessRunFixture(tmp);
    ProcessRunBackend p = fx.processes();
    LaunchRequest r = fx.launchRequest("e.c1", new ProcessRunFixture.Exp().shell("sleep 60"));
    LaunchResult l = launchAndRelease(fx, p, r);
    Path dir = fx.attemptDir("e.c1");
    List<Throwable> thrown = new ArrayList<>();
    Thread awaiting =
        new Thread(
            () -> {
              try {
                p.await(
                    new AwaitRequest(r.run(), r.experiment(), l.handle()),
                    fx.settings,
                    null,
                    Heartbeater.none());
              } catch (Throwable t) {
                thrown.add(t);
              }
            });
    awaiting.start();
    Thread.sleep(300);
    awaiting.interrupt();
    awaiting.join(5000);

    assertEquals(1, thrown.size());
    assertTrue(thrown.get(0) instanceof WorkerShutdownException, thrown.toString());
    assertTrue(
        ProcessRunFixture.alive(ProcessRunFixture.recordedPid(dir)),
        "the run keeps running for the next try");
    p.cleanup(new CleanupRequest(r.run(), l.handle(), r.routing()), fx.settings);
    ProcessRunFixture.assertNothingLeft(dir);
  }

  @Test
  void cleanupKillsWhatAFinishedCommandLeftRunningAndWorksWithoutAHandle() throws Exception {
    ProcessRunFixture fx = new ProcessRunFixture(tmp);
    ProcessRunBackend p = fx.processes();
    LaunchRequest r =
        fx.launchRequest("e.c1", new ProcessRunFixture.Exp().shell("sleep 60 & echo left a child"));
    LaunchResult l = launchAndRelease(fx, p, r);
    assertEquals(
        0,
        p.await(
                new AwaitRequest(r.run(), r.experiment(), l.handle()),
                fx.settings,
                null,
                Heartbeater.none())
            .exitCode());
    Path dir = fx.attemptDir("e.c1");
    assertEquals(
        1,
        ProcessRunFixture.processesOf(-1, ProcessRunFixture.recordedToken(dir)).size(),
        "the background sleep");

    // A launch that never reported its handle back: cleanup finds the attempt by its run.
    p.cleanup(new CleanupRequest(r.run(), null, r.routing()), fx.settings);

    ProcessRunFixture.assertNothingLeft(dir);
    assertEquals("left a child\n", Files.readString(dir.resolve("log.txt")));
  }

  @Test
  void aRunNeverReleasedGivesUpAfterTheHoldLimit() throws Exception {
    ProcessRunFixture fx = new ProcessRunFixture(tmp);
    ProcessRunBackend p =
        new ProcessRunBackend(
            fx.workerEnv, ProcessRunFixture.options().withHoldLimit(Duration.ofMillis(500)));
    LaunchRequest r =
        fx.launchRequest("e.c1", new ProcessRunFixture.Exp().shell("echo must not run"));
    LaunchResult l = p.launch(r, fx.settings);

    RunFailureException e = awaitFails(fx, p, r, l, Heartbeater.none());

    assertEquals("ExitNonZero", e.type());
    assertTrue(e.getMessage().contains("never released"), e.getMessage());
    assertFalse(e.getMessage().contains("must not run"), e.getMessage());
    ProcessRunFixture.assertNothingLeft(fx.attemptDir("e.c1"));
  }

  @Test
  void aMissingCommandAndAMissingSecretFailAtLaunchWithoutStartingAnything() {
    ProcessRunFixture fx = new ProcessRunFixture(tmp);
    ProcessRunBackend p = fx.processes();
    ProcessRunFixture.Exp noCommand = new ProcessRunFixture.Exp();
    noCommand.command = null;
    ProcessRunFixture.Exp noSecret = new ProcessRunFixture.Exp();
    noSecret.secrets = List.of("LLEM_TEST_SECRET_THAT_IS_NOT_SET");

    RunFailureException a =
        assertThrows(
            RunFailureException.class,
            () -> p.launch(fx.launchRequest("a.c1", noCommand), fx.settings));
    RunFailureException b =
        assertThrows(
            RunFailureException.class,
            () -> p.launch(fx.launchRequest("b.c1", noSecret), fx.settings));

    assertEquals("ExitNonZero", a.type());
    assertTrue(a.getMessage().contains("`command:`"), a.getMessage());
    assertEquals("SecretMissing", b.type());
    assertTrue(b.getMessage().contains("LLEM_TEST_SECRET_THAT_IS_NOT_SET"), b.getMessage());
    assertFalse(Files.exists(fx.attemptDir("a.c1").resolve("process.json")));
    assertFalse(Files.exists(fx.attemptDir("b.c1").resolve("process.json")));
  }

  @Test
  void aCommandThatIsNotFoundIsExitNonZero127() throws Exception {
    ProcessRunFixture fx = new ProcessRunFixture(tmp);
    ProcessRunBackend p = fx.processes();
    ProcessRunFixture.Exp exp = new ProcessRunFixture.Exp();
    exp.command = List.of("llem-no-such-program", "--flag");
    LaunchRequest r = fx.launchRequest("e.c1", exp);
    LaunchResult l = launchAndRelease(fx, p, r);

    RunFailureException e = awaitFails(fx, p, r, l, Heartbeater.none());

    assertEquals("ExitNonZero", e.type());
    assertTrue(
        e.getMessage().contains("127") && e.getMessage().contains("llem-no-such-program"),
        e.getMessage());
  }

  @Test
  void aProbeThatCannotRunIsProbeFailedNamingTheProbeKey() throws Exception {
    ProcessRunFixture fx =
        new ProcessRunFixture(tmp, Map.of("PATH", tmp.resolve("empty-bin").toString()));
    Files.createDirectories(tmp.resolve("empty-bin"));
    // The default CUDA view (python3) on a PATH without python3.
    ProcessRunBackend noPython = new ProcessRunBackend(fx.workerEnv, ProcessOptions.defaults());
    LaunchRequest r = fx.launchRequest("e.c1", new ProcessRunFixture.Exp().shell("echo never"));
    LaunchResult l = noPython.launch(r, fx.settings);
    ProcessRunFixture.Exp customProbe = new ProcessRunFixture.Exp();
    customProbe.probe = List.of("/bin/sh", "-c", "echo probe broke >&2; exit 4");
    LaunchRequest r2 = fx.launchRequest("f.c1", customProbe);
    LaunchResult l2 = noPython.launch(r2, fx.settings);

    RunFailureException a =
        assertThrows(
            RunFailureException.class,
            () ->
                noPython.probe(
                    new VerifyRequest(r.run(), r.experiment(), r.routing(), l.handle()),
                    fx.settings));
    RunFailureException b =
        assertThrows(
            RunFailureException.class,
            () ->
                noPython.probe(
                    new VerifyRequest(r2.run(), r2.experiment(), r2.routing(), l2.handle()),
                    fx.settings));

    assertEquals("ProbeFailed", a.type());
    assertTrue(
        a.getMessage().contains("python3") && a.getMessage().contains("`probe:`"), a.getMessage());
    assertEquals("ProbeFailed", b.type());
    assertTrue(
        b.getMessage().contains("probe broke") && b.getMessage().contains("`probe:`"),
        b.getMessage());
    assertTrue(Files.readString(fx.attemptDir("f.c1").resolve("probe.txt")).contains("[exit 4]"));
    noPython.discard(l.handle());
    noPython.discard(l2.handle());
    ProcessRunFixture.assertNothingLeft(fx.attemptDir("e.c1"));
    ProcessRunFixture.assertNothingLeft(fx.attemptDir("f.c1"));
  }

  @Test
  void anExperimentProbePrintingBareUuidsIsCheckedInCudaOrder() throws Exception {
    ProcessRunFixture fx = new ProcessRunFixture(tmp);
    ProcessRunBackend p = fx.processes();
    Map<Integer, String> uuids = ProcessRunFixture.uuids();
    ProcessRunFixture.Exp exp = new ProcessRunFixture.Exp();
    // Prints what CUDA_VISIBLE_DEVICES holds, one per line: the routed UUIDs in order.
    exp.probe = List.of("/bin/sh", "-c", "echo \"$CUDA_VISIBLE_DEVICES\" | tr , '\\n'");
    LaunchRequest r = fx.launchRequest("e.c1", exp);
    LaunchResult l = p.launch(r, fx.settings);

    var out =
        p.probe(new VerifyRequest(r.run(), r.experiment(), r.routing(), l.handle()), fx.settings);

    assertEquals(
        "# from the experiment's probe\ncuInit: 0\ncount: 2\n0: "
            + uuids.get(1)
            + "\n1: "
            + uuids.get(2)
            + "\n",
        out.cudaView());
    p.discard(l.handle());
    ProcessRunFixture.assertNothingLeft(fx.attemptDir("e.c1"));
  }

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
        new HostRunActivities(
            fx.settings,
            new FileInventorySource(ProcessRunFixture.INVENTORY, ProcessRunFixture.HOST),
            new GpuLeaseStore(tmp.resolve("home"), ProcessRunFixture.HOST),
            noDocker,
            new ResultCollector(noDocker));
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
    assertFalse(Files.exists(dir.resolve("m.txt")), "nothing was measured");
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
