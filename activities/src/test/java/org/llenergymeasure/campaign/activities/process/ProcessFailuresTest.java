package org.llenergymeasure.campaign.activities.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.llenergymeasure.campaign.activities.RunCanceledException;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.WorkerShutdownException;
import org.llenergymeasure.campaign.activities.container.Heartbeater;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
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
}
