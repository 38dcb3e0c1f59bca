package org.llenergymeasure.campaign.activities.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.container.Heartbeater;
import org.llenergymeasure.campaign.activities.container.ProbeOutputs;
import org.llenergymeasure.campaign.activities.gpu.telemetry.NoGpuTelemetry;
import org.llenergymeasure.campaign.activities.gpu.verify.RoutingVerifier;
import org.llenergymeasure.campaign.activities.gpu.verify.Verification;
import org.llenergymeasure.campaign.activities.ledger.ResultCollector;
import org.llenergymeasure.campaign.workflows.host.AwaitProgress;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.AwaitResult;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.CollectRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;

/** A process-mode attempt from launch to cleanup, and re-attaching after a worker crash. */
@Tag("process")
class ProcessLifecycleTest {

  @TempDir Path tmp;

  @Test
  void wholeAttemptRunsInTheAttemptFolderWithTheRoutedEnvAndLeavesNothing() throws Exception {
    ProcessRunFixture fx = new ProcessRunFixture(tmp, Map.of("UNRELATED_WORKER_VAR", "leak-me"));
    ProcessRunBackend processes = fx.processes();
    ProcessRunFixture.Exp exp =
        new ProcessRunFixture.Exp()
            .shell(
                "echo \"cvd=$CUDA_VISIBLE_DEVICES order=$CUDA_DEVICE_ORDER\"; echo \"pwd=$(pwd)\";"
                    + " echo \"other=${UNRELATED_WORKER_VAR:-unset} nvd=${NVIDIA_VISIBLE_DEVICES:-unset}\";"
                    + " echo '{\"total_energy_j\": 7.5}' > \"$LLEM_RESULTS_DIR/result.json\"; echo done");
    LaunchRequest request = fx.launchRequest("e.c1", exp);
    Map<Integer, String> uuids = ProcessRunFixture.uuids();

    LaunchResult launched = processes.launch(request, fx.settings);
    Path dir = fx.attemptDir("e.c1");
    assertEquals("started", launched.state());
    assertEquals(dir.toAbsolutePath().toString(), launched.resultDir());
    // Held: nothing ran before release.
    Thread.sleep(300);
    assertFalse(Files.exists(dir.resolve("out/result.json")));
    // The worker's folder is its own; the raw output (secrets unmasked) is readable by it alone.
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("output.raw"))));

    VerifyRequest verify =
        new VerifyRequest(
            request.run(), request.experiment(), request.routing(), launched.handle());
    ProbeOutputs probe = processes.probe(verify, fx.settings);
    Verification v =
        RoutingVerifier.verify(request.routing(), probe.deviceView(), probe.cudaView());
    assertTrue(v.passed(), v.explanation());
    assertEquals(List.of(uuids.get(1), uuids.get(2)), v.cudaView());
    assertTrue(Files.readString(dir.resolve("probe.txt")).contains(uuids.get(2)));

    processes.release(launched.handle());
    processes.release(launched.handle()); // idempotent
    AtomicInteger beats = new AtomicInteger();
    AwaitResult done =
        processes.await(
            new AwaitRequest(request.run(), request.experiment(), launched.handle()),
            fx.settings,
            null,
            p -> beats.incrementAndGet());
    var collected =
        new ResultCollector(processes, new NoGpuTelemetry("no GPU telemetry here"))
            .collect(
                new CollectRequest(
                    request.run(),
                    request.experiment(),
                    request.routing(),
                    launched.handle(),
                    v.cudaView(),
                    null,
                    1,
                    2),
                fx.settings);
    processes.cleanup(
        new CleanupRequest(request.run(), launched.handle(), request.routing()), fx.settings);
    processes.cleanup(
        new CleanupRequest(request.run(), launched.handle(), request.routing()), fx.settings);

    assertEquals(0, done.exitCode());
    assertEquals("done", done.lastLogLine());
    assertTrue(beats.get() >= 1);
    assertEquals("completed", collected.status(), String.valueOf(collected.failure()));
    assertEquals(Map.of("total_energy_j", 7.5), collected.resultSummary());
    String log = Files.readString(dir.resolve("log.txt"));
    assertTrue(log.contains("cvd=" + uuids.get(1) + "," + uuids.get(2) + " order=PCI_BUS_ID"), log);
    assertTrue(log.contains("pwd=" + dir.resolve("out").toRealPath()), log);
    assertEquals(
        "{\"total_energy_j\": 7.5}\n",
        Files.readString(dir.resolve("result.json")),
        "the worker's copy of the validated result");
    assertTrue(
        log.contains("other=unset nvd=unset"), "the worker's own variables stay out:\n" + log);
    assertFalse(Files.exists(dir.resolve("output.raw")));
    assertEquals("0", Files.readString(dir.resolve("exit-code")).strip());
    ProcessRunFixture.assertNothingLeft(dir);
  }

  @Test
  void aNewWorkerAttachesToTheRunningProcessAndAwaitsIt() throws Exception {
    ProcessRunFixture fx = new ProcessRunFixture(tmp);
    LaunchRequest request =
        fx.launchRequest(
            "e.c1", new ProcessRunFixture.Exp().shell("echo tick; sleep 1; echo tock"));
    LaunchResult first = fx.processes().launch(request, fx.settings);
    Path dir = fx.attemptDir("e.c1");
    long pid = ProcessRunFixture.recordedPid(dir);

    // The worker crashed; a new one (new instance, nothing in memory) retries launch.
    ProcessRunBackend next = fx.processes();
    LaunchResult again = next.launch(request, fx.settings);
    assertEquals("attached", again.state());
    assertEquals(first.handle(), again.handle());
    assertEquals(pid, ProcessRunFixture.recordedPid(dir), "no second process");
    next.release(again.handle());
    AwaitProgress crashed =
        new AwaitProgress(
            again.handle(), System.currentTimeMillis(), System.currentTimeMillis(), 0, null, null);
    AwaitResult done =
        fx.processes()
            .await(
                new AwaitRequest(request.run(), request.experiment(), again.handle()),
                fx.settings,
                crashed,
                Heartbeater.none());

    assertEquals(0, done.exitCode());
    assertEquals("tock", done.lastLogLine());
    next.cleanup(new CleanupRequest(request.run(), again.handle(), request.routing()), fx.settings);
    assertEquals("tick\ntock\n", Files.readString(dir.resolve("log.txt")));
    ProcessRunFixture.assertNothingLeft(dir);
  }

  @Test
  void aRunThatEndedWhileNoWorkerWatchedIsReportedExitedWithItsExitCode() throws Exception {
    ProcessRunFixture fx = new ProcessRunFixture(tmp);
    LaunchRequest ok = fx.launchRequest("ok.c1", new ProcessRunFixture.Exp().shell("echo fine"));
    LaunchRequest bad =
        fx.launchRequest("bad.c1", new ProcessRunFixture.Exp().shell("echo broken; exit 3"));
    ProcessRunBackend before = fx.processes();
    LaunchResult okRun = before.launch(ok, fx.settings);
    LaunchResult badRun = before.launch(bad, fx.settings);
    before.release(okRun.handle());
    before.release(badRun.handle());
    ProcessRunFixture.waitFor(fx.attemptDir("ok.c1").resolve("exit-code"), Duration.ofSeconds(10));
    ProcessRunFixture.waitFor(fx.attemptDir("bad.c1").resolve("exit-code"), Duration.ofSeconds(10));

    ProcessRunBackend after = fx.processes();
    assertEquals("exited", after.launch(ok, fx.settings).state());
    assertEquals("exited", after.launch(bad, fx.settings).state());
    AwaitResult fine =
        after.await(
            new AwaitRequest(ok.run(), ok.experiment(), okRun.handle()),
            fx.settings,
            null,
            Heartbeater.none());
    var failure =
        org.junit.jupiter.api.Assertions.assertThrows(
            org.llenergymeasure.campaign.activities.RunFailureException.class,
            () ->
                after.await(
                    new AwaitRequest(bad.run(), bad.experiment(), badRun.handle()),
                    fx.settings,
                    null,
                    Heartbeater.none()));

    assertEquals(0, fine.exitCode());
    assertEquals("ExitNonZero", failure.type());
    assertTrue(failure.getMessage().contains("exited with code 3"), failure.getMessage());
    assertTrue(failure.getMessage().contains("broken"), failure.getMessage());
    after.cleanup(new CleanupRequest(ok.run(), okRun.handle(), ok.routing()), fx.settings);
    after.cleanup(new CleanupRequest(bad.run(), badRun.handle(), bad.routing()), fx.settings);
    ProcessRunFixture.assertNothingLeft(fx.attemptDir("ok.c1"));
    ProcessRunFixture.assertNothingLeft(fx.attemptDir("bad.c1"));
  }

  @Test
  void aCrashBeforeProcessJsonWasWrittenLeavesNoSecondRun() throws Exception {
    ProcessRunFixture fx = new ProcessRunFixture(tmp);
    LaunchRequest request =
        fx.launchRequest(
            "e.c1",
            new ProcessRunFixture.Exp().shell("echo ran >> \"$LLEM_RESULTS_DIR/runs.txt\""));
    Path dir = fx.attemptDir("e.c1");
    fx.processes().launch(request, fx.settings);
    long orphan = ProcessRunFixture.recordedPid(dir);
    // As if the worker died after starting the wrapper but before recording it.
    Files.delete(dir.resolve("process.json"));

    ProcessRunBackend next = fx.processes();
    LaunchResult relaunched = next.launch(request, fx.settings);
    assertEquals("started", relaunched.state());
    long pid = ProcessRunFixture.recordedPid(dir);
    assertNotEquals(orphan, pid);
    // The orphan sees that it no longer owns the attempt and leaves before running anything.
    for (int i = 0; i < 100 && ProcessRunFixture.alive(orphan); i++) {
      Thread.sleep(20);
    }
    assertFalse(ProcessRunFixture.alive(orphan), "the orphaned wrapper is gone");
    next.release(relaunched.handle());
    next.await(
        new AwaitRequest(request.run(), request.experiment(), relaunched.handle()),
        fx.settings,
        null,
        Heartbeater.none());
    next.cleanup(
        new CleanupRequest(request.run(), relaunched.handle(), request.routing()), fx.settings);

    assertEquals(
        "ran\n", Files.readString(dir.resolve("out/runs.txt")), "the command ran exactly once");
    ProcessRunFixture.assertNothingLeft(dir);
  }
}
