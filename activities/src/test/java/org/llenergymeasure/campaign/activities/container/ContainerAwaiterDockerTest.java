package org.llenergymeasure.campaign.activities.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.RunCanceledException;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.WorkerShutdownException;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.AwaitProgress;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.AwaitResult;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;

@Tag("docker")
class ContainerAwaiterDockerTest {

  @TempDir Path tmp;
  DockerRunFixture fx;
  ContainerLauncher launcher;
  ContainerAwaiter awaiter;
  final List<AwaitProgress> beats = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    fx = new DockerRunFixture(tmp);
    launcher = new ContainerLauncher(fx.engine, ContainerLauncher.DEFAULT_HOLD_LIMIT);
    awaiter = new ContainerAwaiter(fx.engine, Duration.ofMillis(200), Clock.systemUTC());
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  /** Launches and releases a run, as launch + verify would. */
  private AwaitRequest started(DockerRunFixture.Exp exp) {
    LaunchRequest request = fx.launchRequest("exp.c1", 1, exp);
    String handle = launcher.launch(request, fx.settings).handle();
    launcher.release(handle);
    return new AwaitRequest(request.run(), request.experiment(), handle);
  }

  @Test
  void runThatExitsZeroReturnsItsDurationAndLastLineAndHeartbeatsProgress() {
    AwaitRequest request =
        started(new DockerRunFixture.Exp().command("echo one; sleep 0.6; echo two"));

    AwaitResult result = awaiter.await(request, fx.settings, null, beats::add);

    assertEquals(0, result.exitCode());
    assertEquals("two", result.lastLogLine());
    assertTrue(result.durationMillis() >= 600, "duration " + result.durationMillis());
    assertTrue(beats.size() >= 2, "heartbeats " + beats.size());
    AwaitProgress last = beats.get(beats.size() - 1);
    assertEquals(request.handle(), last.handle());
    assertEquals(8, last.outputBytes()); // "one\n" + "two\n", each counted once
  }

  @Test
  void aRunThatExitsAtOnceIsCollectedWellWithinTheSteadyOneSecondPoll() throws Exception {
    AwaitRequest request = started(new DockerRunFixture.Exp().command("echo quick"));
    // Wait until the container has exited, so what is timed is only the awaiter noticing it.
    while (!"exited"
        .equals(
            fx.engine
                .client()
                .inspectContainerCmd(request.handle())
                .exec()
                .getState()
                .getStatus())) {
      Thread.sleep(10);
    }
    ContainerAwaiter steady = ContainerAwaiter.realTime(fx.engine); // 1 s steady cadence
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      assertEquals(0, steady.await(request, fx.settings, null, Heartbeater.none()).exitCode());
      best = Math.min(best, (System.nanoTime() - t0) / 1_000_000);
    }
    // An exited container is seen at the first poll: no sleep at all before it.
    assertTrue(best < 500, "awaiting an exited container took " + best + " ms");
  }

  @Test
  void aLongerRunIsNoticedSoonAfterItEndsNotAtTheNextWholeSecond() {
    AwaitRequest request = started(new DockerRunFixture.Exp().command("sleep 0.3; echo done"));
    long t0 = System.nanoTime();
    AwaitResult result =
        ContainerAwaiter.realTime(fx.engine).await(request, fx.settings, null, Heartbeater.none());
    long took = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(0, result.exitCode());
    // With a fixed 1 s poll this took >= 1000 ms; polls at 25, 75, 175, 375, 775 ms see it by ~0.8
    // s.
    assertTrue(took < 950, "a 0.3 s run was awaited for " + took + " ms");
  }

  @Test
  void anExitEndsALongPauseAtOnceInsteadOfAtTheNextPoll() {
    // Steady cadence 5 s: pure sleeps would poll at 25, 75, 175, 375, 775, 1575, 3175 ms and see
    // a 2 s run's exit only at ~3.2 s; waiting on the engine between polls sees it at ~2 s.
    AwaitRequest request = started(new DockerRunFixture.Exp().command("sleep 2; echo done"));
    long t0 = System.nanoTime();
    AwaitResult result =
        new ContainerAwaiter(fx.engine, Duration.ofSeconds(5), Clock.systemUTC())
            .await(request, fx.settings, null, Heartbeater.none());
    long took = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(0, result.exitCode());
    assertTrue(took >= 1900, "the run sleeps 2 s, awaited only " + took + " ms");
    assertTrue(took < 2900, "a 2 s run was awaited for " + took + " ms");
  }

  @Test
  void nonZeroExitIsExitNonZeroWithCodeAndLastLines() {
    AwaitRequest request =
        started(
            new DockerRunFixture.Exp()
                .command("echo loading; echo 'Traceback: CUDA error' >&2; exit 3"));

    RunFailureException e =
        assertThrows(
            RunFailureException.class,
            () -> awaiter.await(request, fx.settings, null, Heartbeater.none()));

    assertEquals(FailureTypes.EXIT_NON_ZERO, e.type());
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("exited with code 3"), e.getMessage());
    assertTrue(e.getMessage().contains("Traceback: CUDA error"), e.getMessage());
    assertTrue(e.getMessage().contains("loading"), e.getMessage());
  }

  @Test
  void memoryHogIsOomKilled() {
    var exp =
        new DockerRunFixture.Exp().command("x=aaaaaaaaaaaaaaaa; while true; do x=\"$x$x\"; done");
    exp.memory = 8L << 20;
    AwaitRequest request = started(exp);

    RunFailureException e =
        assertThrows(
            RunFailureException.class,
            () -> awaiter.await(request, fx.settings, null, Heartbeater.none()));

    assertEquals(FailureTypes.OOM_KILLED, e.type());
    assertTrue(e.getMessage().contains("memory"), e.getMessage());
  }

  @Test
  void runPastItsTimeoutIsKilledAsWallClockTimeout() {
    var exp = new DockerRunFixture.Exp().command("while true; do echo tick; sleep 0.2; done");
    exp.timeout = Duration.ofSeconds(2);
    AwaitRequest request = started(exp);
    long t0 = System.nanoTime();

    RunFailureException e =
        assertThrows(
            RunFailureException.class,
            () -> awaiter.await(request, fx.settings, null, Heartbeater.none()));

    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertEquals(FailureTypes.WALL_CLOCK_TIMEOUT, e.type());
    assertTrue(took < 4000, "took " + took);
    assertTrue(e.getMessage().contains("\"tick\""), e.getMessage());
    assertFalse(fx.inspect(request.handle()).orElseThrow().getState().getRunning());
  }

  @Test
  void silentRunIsKilledAsSilenceTimeout() {
    var exp = new DockerRunFixture.Exp().command("echo started; sleep 60");
    exp.silence = Duration.ofSeconds(2);
    AwaitRequest request = started(exp);

    RunFailureException e =
        assertThrows(
            RunFailureException.class,
            () -> awaiter.await(request, fx.settings, null, Heartbeater.none()));

    assertEquals(FailureTypes.SILENCE_TIMEOUT, e.type());
    assertTrue(e.getMessage().contains("\"started\""), e.getMessage());
    assertFalse(fx.inspect(request.handle()).orElseThrow().getState().getRunning());
  }

  @Test
  void retryAfterACrashContinuesFromTheHeartbeatDetails() throws Exception {
    var exp = new DockerRunFixture.Exp().command("echo hello; sleep 2.5; echo world; sleep 0.3");
    AwaitRequest request = started(exp);
    // The first try dies (worker crash) once it has seen "hello".
    RuntimeException crash =
        assertThrows(
            RuntimeException.class,
            () ->
                awaiter.await(
                    request,
                    fx.settings,
                    null,
                    p -> {
                      beats.add(p);
                      if (p.outputBytes() > 0) {
                        throw new IllegalStateException("worker crashed");
                      }
                    }));
    assertEquals("worker crashed", crash.getMessage());
    AwaitProgress previous = beats.get(beats.size() - 1);
    assertEquals(6, previous.outputBytes());
    assertEquals("hello", previous.lastLogLine());
    beats.clear();

    AwaitResult result = awaiter.await(request, fx.settings, previous, beats::add);

    assertEquals("world", result.lastLogLine());
    assertEquals(12, beats.get(beats.size() - 1).outputBytes(), "hello counted once, world once");
    assertEquals(previous.startedAtMillis(), beats.get(0).startedAtMillis());
  }

  @Test
  void silenceWatchdogCountsFromTheLastOutputBeforeTheCrash() throws Exception {
    var exp = new DockerRunFixture.Exp().command("echo once; sleep 60");
    exp.silence = Duration.ofSeconds(3);
    AwaitRequest request = started(exp);
    AwaitProgress[] seen = new AwaitProgress[1];
    assertThrows(
        IllegalStateException.class,
        () ->
            awaiter.await(
                request,
                fx.settings,
                null,
                p -> {
                  if (p.outputBytes() > 0) {
                    seen[0] = p;
                    throw new IllegalStateException("worker crashed");
                  }
                }));
    Thread.sleep(2000); // the worker is down for a while

    long t0 = System.nanoTime();
    RunFailureException e =
        assertThrows(
            RunFailureException.class,
            () -> awaiter.await(request, fx.settings, seen[0], Heartbeater.none()));

    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertEquals(FailureTypes.SILENCE_TIMEOUT, e.type());
    // A fresh count would take 3 s after the re-attach; the honest one about 1 s.
    assertTrue(took < 2500, "took " + took);
  }

  @Test
  void cancellationThroughTheHeartbeatRemovesTheContainer() {
    AwaitRequest request =
        started(new DockerRunFixture.Exp().command("while true; do echo x; sleep 0.2; done"));
    AtomicInteger calls = new AtomicInteger();

    RunCanceledException e =
        assertThrows(
            RunCanceledException.class,
            () ->
                awaiter.await(
                    request,
                    fx.settings,
                    null,
                    p -> {
                      if (calls.incrementAndGet() == 2) {
                        throw new RunCanceledException("canceled by the user");
                      }
                    }));

    assertEquals("canceled by the user", e.getMessage());
    assertTrue(fx.inspect(request.handle()).isEmpty(), "container must be removed");
  }

  @Test
  void workerShutdownLeavesTheContainerRunning() throws Exception {
    AwaitRequest request =
        started(new DockerRunFixture.Exp().command("while true; do echo x; sleep 0.2; done"));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<AwaitResult> f =
          pool.submit(() -> awaiter.await(request, fx.settings, null, beats::add));
      while (beats.isEmpty()) {
        Thread.sleep(50);
      }
      long t0 = System.nanoTime();
      f.cancel(true);
      pool.shutdown();
      assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
      assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 3000);
      assertTrue(fx.inspect(request.handle()).orElseThrow().getState().getRunning());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void workerShutdownSurfacesAsWorkerShutdownException() throws Exception {
    AwaitRequest request = started(new DockerRunFixture.Exp().command("sleep 30"));
    Thread.currentThread().interrupt();
    try {
      RuntimeException e =
          assertThrows(
              RuntimeException.class,
              () -> awaiter.await(request, fx.settings, null, Heartbeater.none()));
      assertInstanceOf(WorkerShutdownException.class, e, e.toString());
      assertTrue(Thread.interrupted(), "the interrupt flag is kept");
    } finally {
      Thread.interrupted();
    }
    assertTrue(fx.inspect(request.handle()).orElseThrow().getState().getRunning());
  }
}
