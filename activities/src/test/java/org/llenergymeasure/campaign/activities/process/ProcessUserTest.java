package org.llenergymeasure.campaign.activities.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.container.Heartbeater;
import org.llenergymeasure.campaign.activities.gpu.telemetry.NoGpuTelemetry;
import org.llenergymeasure.campaign.activities.ledger.ResultCollector;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.AwaitResult;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.CollectRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;

/**
 * {@code user:} in process mode, with real processes as the host's {@code nobody} (uid 65534): the
 * command runs as that user and writes only its run folder; the worker's folder and raw output stay
 * out of its reach; watchdogs and adoption still work; an unknown user is a LaunchFailed.
 */
@Tag("process")
class ProcessUserTest {

  private static final long NOBODY = 65534;

  @TempDir Path tmp;

  @BeforeEach
  void letOtherUsersPass() throws Exception {
    // JUnit makes the temporary folder 0700; a results folder under it would be out of reach.
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void theCommandRunsAsTheUserAndCanWriteOnlyItsRunFolder() throws Exception {
    assertEquals(0, ProcessUser.workerUid(), "these tests need a worker running as root");
    ProcessRunFixture fx = new ProcessRunFixture(tmp);
    ProcessRunBackend processes = fx.processes();
    ProcessRunFixture.Exp exp =
        new ProcessRunFixture.Exp()
            .shell(
                "echo \"uid=$(id -u) gid=$(id -g) home=$HOME user=$USER\";"
                    + " touch ../x 2>/dev/null && echo WROTE-ATTEMPT;"
                    + " cat ../output.raw >/dev/null 2>&1 && echo READ-RAW;"
                    + " ls .. >/dev/null 2>&1 && echo LISTED-ATTEMPT;"
                    + " echo '{\"total_energy_j\": 2.5}' > \"$LLEM_RESULTS_DIR/result.json\";"
                    + " echo done");
    exp.user = "nobody";
    LaunchRequest request = fx.launchRequest("u.c1", exp);

    LaunchResult launched = processes.launch(request, fx.settings);
    Path dir = fx.attemptDir("u.c1");
    assertEquals(
        NOBODY, ((Integer) Files.getAttribute(dir.resolve("out"), "unix:uid")).longValue());
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("out"))));
    assertEquals(0, ((Integer) Files.getAttribute(dir, "unix:uid")).intValue());
    assertEquals("rwx--x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("output.raw"))));
    // A new worker finds the held run again (its wrapper is the worker's).
    assertEquals("attached", fx.processes().launch(request, fx.settings).state());
    processes.release(launched.handle());
    AwaitResult done =
        processes.await(
            new AwaitRequest(request.run(), request.experiment(), launched.handle()),
            fx.settings,
            null,
            Heartbeater.none());
    var collected =
        new ResultCollector(processes, new NoGpuTelemetry("no GPU telemetry here"))
            .collect(
                new CollectRequest(
                    request.run(),
                    request.experiment(),
                    request.routing(),
                    launched.handle(),
                    List.of(),
                    null,
                    1,
                    2),
                fx.settings);
    processes.cleanup(
        new CleanupRequest(request.run(), launched.handle(), request.routing()), fx.settings);

    assertEquals(0, done.exitCode());
    assertEquals("completed", collected.status(), String.valueOf(collected.failure()));
    assertEquals(Map.of("total_energy_j", 2.5), collected.resultSummary());
    String log = Files.readString(dir.resolve("log.txt"));
    assertTrue(
        log.contains("uid=65534 gid=65534 home=" + dir.resolve("out") + " user=nobody"), log);
    assertFalse(log.contains("WROTE-ATTEMPT"), log);
    assertFalse(Files.exists(dir.resolve("x"), LinkOption.NOFOLLOW_LINKS));
    assertFalse(log.contains("READ-RAW"), log);
    assertFalse(log.contains("LISTED-ATTEMPT"), log);
    // The wrapper stayed the worker's: it recorded the exit code in the worker's folder.
    assertEquals("0", Files.readString(dir.resolve("exit-code")).strip());
    ProcessRunFixture.assertNothingLeft(dir);
  }

  @Test
  void aWatchdogTimeoutKillsTheUsersProcesses() throws Exception {
    ProcessRunFixture fx = new ProcessRunFixture(tmp);
    ProcessRunBackend p = fx.processes();
    ProcessRunFixture.Exp exp =
        new ProcessRunFixture.Exp().shell("sleep 60 & while true; do echo busy; sleep 0.2; done");
    exp.user = "65534";
    exp.timeout = Duration.ofSeconds(1);
    LaunchRequest r = fx.launchRequest("t.c1", exp);
    LaunchResult l = p.launch(r, fx.settings);
    p.release(l.handle());
    Path dir = fx.attemptDir("t.c1");
    Thread.sleep(400);
    List<Long> running =
        ProcessRunFixture.processesOf(
            ProcessRunFixture.recordedPid(dir), ProcessRunFixture.recordedToken(dir));
    long asNobody = 0;
    for (long pid : running) {
      if (((Integer) Files.getAttribute(Path.of("/proc/" + pid), "unix:uid")) == NOBODY) {
        asNobody++;
      }
    }
    assertTrue(asNobody >= 2, "the shell and its sleep run as nobody: " + running);

    RunFailureException e =
        assertThrows(
            RunFailureException.class,
            () ->
                p.await(
                    new AwaitRequest(r.run(), r.experiment(), l.handle()),
                    fx.settings,
                    null,
                    Heartbeater.none()));

    assertEquals("WallClockTimeout", e.type());
    ProcessRunFixture.assertNothingLeft(dir);
    p.cleanup(new CleanupRequest(r.run(), l.handle(), r.routing()), fx.settings);
  }

  @Test
  void anUnknownUserIsALaunchFailedThatStartsNothing() throws Exception {
    ProcessRunFixture fx = new ProcessRunFixture(tmp);
    ProcessRunFixture.Exp exp = new ProcessRunFixture.Exp().shell("echo should-not-run");
    exp.user = "llem-no-such-user-q7";
    LaunchRequest r = fx.launchRequest("n.c1", exp);

    RunFailureException e =
        assertThrows(RunFailureException.class, () -> fx.processes().launch(r, fx.settings));

    assertEquals("LaunchFailed", e.type());
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("no user named `llem-no-such-user-q7`"), e.getMessage());
    assertTrue(e.getMessage().contains("experiment exp"), e.getMessage());
    assertTrue(e.getMessage().contains("host " + ProcessRunFixture.HOST), e.getMessage());
    Path dir = fx.attemptDir("n.c1");
    assertFalse(Files.exists(dir.resolve(ProcessRecord.FILE)), "no process was recorded");
    assertFalse(Files.exists(dir.resolve(ProcessFiles.OWNER)), "no wrapper was started");
  }

  @Test
  void aResultsFolderTheUserCannotReachIsALaunchFailedThatStartsNothing() throws Exception {
    ProcessRunFixture fx = new ProcessRunFixture(tmp);
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
    ProcessRunFixture.Exp exp = new ProcessRunFixture.Exp().shell("echo should-not-run");
    exp.user = "nobody";
    LaunchRequest r = fx.launchRequest("p.c1", exp);

    RunFailureException e =
        assertThrows(RunFailureException.class, () -> fx.processes().launch(r, fx.settings));

    assertEquals("LaunchFailed", e.type());
    assertTrue(e.getMessage().contains("cannot pass through " + tmp + " "), e.getMessage());
    assertFalse(Files.exists(fx.attemptDir("p.c1").resolve(ProcessRecord.FILE)));
  }
}
