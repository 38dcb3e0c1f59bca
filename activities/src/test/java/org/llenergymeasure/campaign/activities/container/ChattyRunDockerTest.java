package org.llenergymeasure.campaign.activities.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.client.ActivityCanceledException;
import io.temporal.failure.TimeoutFailure;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.ActivityHeartbeater;
import org.llenergymeasure.campaign.activities.AttemptAbandonedException;
import org.llenergymeasure.campaign.activities.RunCanceledException;
import org.llenergymeasure.campaign.workflows.host.AwaitProgress;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.AwaitResult;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;

/**
 * A run that prints a flood of output: the await keeps heartbeating within a short heartbeat
 * timeout and keeps the worker's heap small, the saved log is capped at logLimit, and the SDK's
 * local heartbeat timeout is never taken for a cancellation.
 */
@Tag("docker")
class ChattyRunDockerTest {

  /** What the SDK gives when the heartbeat timeout has passed; a heartbeat gap over it throws. */
  private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(3);

  @TempDir Path tmp;
  DockerRunFixture fx;
  ContainerLauncher launcher;

  @BeforeEach
  void setUp() {
    fx = new DockerRunFixture(tmp);
    launcher = new ContainerLauncher(fx.engine, ContainerLauncher.DEFAULT_HOLD_LIMIT);
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  private AwaitRequest started(DockerRunFixture.Exp exp) {
    LaunchRequest request = fx.launchRequest("exp.c1", 1, exp);
    String handle = launcher.launch(request, fx.settings).handle();
    launcher.release(handle);
    return new AwaitRequest(request.run(), request.experiment(), handle);
  }

  /**
   * Exactly what the SDK (1.38) throws from heartbeat() once its local heartbeat timeout passed.
   */
  static ActivityCanceledException sdkHeartbeatTimeout() {
    return new ActivityCanceledException(
        null, new TimeoutFailure(null, null, TimeoutType.TIMEOUT_TYPE_HEARTBEAT));
  }

  /** Sends through the real wiring; a gap between heartbeats over the timeout ends this try. */
  static final class StrictHeartbeats {
    final AtomicLong last = new AtomicLong(System.nanoTime());
    final AtomicLong longestGapMillis = new AtomicLong();
    final AtomicInteger count = new AtomicInteger();

    ActivityHeartbeater heartbeater() {
      return new ActivityHeartbeater(
          p -> {
            long now = System.nanoTime();
            long gap = (now - last.getAndSet(now)) / 1_000_000;
            longestGapMillis.accumulateAndGet(gap, Math::max);
            count.incrementAndGet();
            if (gap > HEARTBEAT_TIMEOUT.toMillis()) {
              throw sdkHeartbeatTimeout();
            }
          });
    }
  }

  /** The largest live heap seen (after a collection) while it runs. */
  static final class HeapWatch implements AutoCloseable {
    final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    final AtomicLong peak = new AtomicLong();
    final AtomicBoolean running = new AtomicBoolean(true);
    final Thread thread;

    HeapWatch() {
      thread =
          new Thread(
              () -> {
                while (running.get()) {
                  System.gc();
                  peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                  try {
                    Thread.sleep(500);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.interrupt();
      thread.join();
    }
  }

  @Test
  void aHundredMegabytesOfShortLinesKeepTheHeartbeatsAndAnEndedRunIsCollected() throws Exception {
    var exp =
        new DockerRunFixture.Exp()
            .command("yes 0123456789 | head -c 100000000; printf '\\nall done\\n'");
    exp.timeout = Duration.ofMinutes(20);
    exp.silence = Duration.ofMinutes(5);
    exp.logLimit = 1L << 20;
    System.gc();
    long before = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    AwaitRequest request = started(exp);
    StrictHeartbeats beats = new StrictHeartbeats();
    AwaitResult result;
    Path dir;
    try (HeapWatch heap = new HeapWatch()) {
      result =
          ContainerAwaiter.realTime(fx.engine)
              .await(request, fx.settings, null, beats.heartbeater());
      assertTrue(fx.inspect(request.handle()).isPresent(), "the container was not removed");
      dir = fx.root.resolve(fx.campaign).resolve("exp.c1").resolve("a1");
      assertTrue(new ContainerLogs(fx.engine).saveLog(request.handle(), dir));
      heap.close();
      long grew = heap.peak.get() - before;
      System.out.printf(
          "live heap grew by at most %d MiB; longest heartbeat gap %d ms over %d heartbeats%n",
          grew >> 20, beats.longestGapMillis.get(), beats.count.get());
      assertTrue(grew < 160L << 20, "live heap grew by " + (grew >> 20) + " MiB");
    }

    assertEquals(0, result.exitCode());
    assertEquals("all done", result.lastLogLine());
    assertTrue(
        beats.longestGapMillis.get() <= HEARTBEAT_TIMEOUT.toMillis(),
        "longest heartbeat gap " + beats.longestGapMillis.get() + " ms");
    Path log = dir.resolve(ContainerLogs.FILE);
    long size = Files.size(log);
    assertTrue(size <= (1L << 20) + 200 && size > (1L << 20) - 200, "log.txt is " + size);
    String text = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(text.startsWith("0123456789\n0123456789\n"), text.substring(0, 40));
    assertTrue(text.endsWith("\nall done\n"), text.substring(text.length() - 40));
    assertTrue(
        text.contains("\n[llem: 99.0 MB of output dropped here; logLimit is 1m]\n"),
        "note on what was dropped");
  }

  @Test
  void twoHundredMegabytesWithoutANewlineGiveALogOfLogLimit() throws Exception {
    var exp =
        new DockerRunFixture.Exp()
            .command("head -c 200000000 /dev/zero | tr '\\0' x; printf 'END'; sleep 1");
    exp.timeout = Duration.ofMinutes(20);
    exp.silence = Duration.ofMinutes(5);
    exp.logLimit = 2L << 20;
    AwaitRequest request = started(exp);
    StrictHeartbeats beats = new StrictHeartbeats();

    AwaitResult result =
        ContainerAwaiter.realTime(fx.engine).await(request, fx.settings, null, beats.heartbeater());
    Path dir = fx.root.resolve(fx.campaign).resolve("exp.c1").resolve("a1");
    assertTrue(new ContainerLogs(fx.engine).saveLog(request.handle(), dir));

    assertEquals(0, result.exitCode());
    long size = Files.size(dir.resolve(ContainerLogs.FILE));
    assertTrue(size <= (2L << 20) + 200, "log.txt is " + size + " bytes");
    String text = Files.readString(dir.resolve(ContainerLogs.FILE));
    assertTrue(text.startsWith("xxxxxxxx"));
    assertTrue(text.endsWith("xxxxEND"), text.substring(text.length() - 20));
    assertTrue(text.contains("[llem: 197.9 MB of output dropped here; logLimit is 2m]"));
    try (var files = Files.list(dir)) {
      assertEquals(
          java.util.List.of(ContainerLogs.FILE),
          files.map(p -> p.getFileName().toString()).filter(n -> n.contains("log")).toList(),
          "no temporary file is left");
    }
  }

  @Test
  void theSdksHeartbeatTimeoutEndsTheTryAndLeavesTheContainerRunning() {
    AwaitRequest request = started(new DockerRunFixture.Exp().command("sleep 30"));
    AtomicInteger calls = new AtomicInteger();
    ContainerAwaiter awaiter =
        new ContainerAwaiter(fx.engine, Duration.ofMillis(200), Clock.systemUTC());

    AttemptAbandonedException e =
        assertThrows(
            AttemptAbandonedException.class,
            () ->
                awaiter.await(
                    request,
                    fx.settings,
                    null,
                    new ActivityHeartbeater(
                        p -> {
                          if (calls.incrementAndGet() == 2) {
                            throw sdkHeartbeatTimeout();
                          }
                        })));

    assertTrue(e.getMessage().contains("heartbeat timeout"), e.getMessage());
    assertTrue(
        fx.inspect(request.handle()).orElseThrow().getState().getRunning(),
        "the container keeps running for the next try");
  }

  @Test
  void aCancellationRequestStillRemovesTheContainer() {
    AwaitRequest request = started(new DockerRunFixture.Exp().command("sleep 30"));
    ContainerAwaiter awaiter =
        new ContainerAwaiter(fx.engine, Duration.ofMillis(200), Clock.systemUTC());

    assertThrows(
        RunCanceledException.class,
        () ->
            awaiter.await(
                request,
                fx.settings,
                null,
                new ActivityHeartbeater(
                    p -> {
                      // What the SDK throws when the server answers with a cancellation request.
                      throw new ActivityCanceledException(null);
                    })));
    assertTrue(fx.inspect(request.handle()).isEmpty(), "container removed");
  }

  @Test
  void progressReachesTheHeartbeatsOfALongRun() throws Exception {
    AwaitRequest request =
        started(
            new DockerRunFixture.Exp()
                .command("for i in 1 2 3 4 5 6; do echo l$i; sleep 0.3; done"));
    java.util.List<AwaitProgress> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    AwaitResult result =
        new ContainerAwaiter(fx.engine, Duration.ofMillis(200), Clock.systemUTC())
            .await(request, fx.settings, null, seen::add);
    assertEquals("l6", result.lastLogLine());
    assertTrue(seen.size() >= 3, "heartbeats " + seen.size());
    assertFalse(seen.stream().allMatch(p -> p.outputBytes() == 0), "progress is reported");
  }
}
