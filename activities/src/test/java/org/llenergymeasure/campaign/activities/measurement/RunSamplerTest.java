package org.llenergymeasure.campaign.activities.measurement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.AttemptFolder;
import org.llenergymeasure.campaign.activities.gpu.telemetry.NoGpuTelemetry;
import org.llenergymeasure.campaign.activities.gpu.telemetry.ScriptedGpuTelemetry;

/** The sampler with scripted GPUs: what it records, across a restart, and that it stops. */
class RunSamplerTest {

  static final String A = "GPU-a";
  static final String B = "GPU-b";

  @TempDir Path tmp;

  private static boolean samplerThreadAlive(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("llem-gpu-sampler-" + name) && t.isAlive());
  }

  private static void waitForRounds(SampleLog log, int n) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (log.read().size() < n) {
      if (System.nanoTime() > until) {
        throw new AssertionError("only " + log.read().size() + " rounds recorded");
      }
      Thread.sleep(5);
    }
  }

  @Test
  void recordsAStartRoundReadingsWhileRunningAndAnEndRoundThenStops() throws Exception {
    ScriptedGpuTelemetry gpus = ScriptedGpuTelemetry.withStep(1000);
    gpus.gpu(A, 100);
    gpus.gpu(B, 250);
    RunSampler sampler = new RunSampler(gpus, Duration.ofMillis(10), gpus.clock());
    AttemptFolder folder = AttemptFolder.at(tmp.resolve("a1"));
    SampleLog log = new SampleLog(folder);

    RunSampler.Sampling sampling = sampler.start(folder, List.of(A, B), "r.c1-a1");
    // The sampling thread may already have added a round (every 10 ms): the start round is there.
    List<SampleRound> atStart = log.read();
    assertFalse(atStart.isEmpty(), "the start round is taken before start returns");
    assertEquals("start", atStart.get(0).phase());
    waitForRounds(log, 4);
    assertTrue(samplerThreadAlive("r.c1-a1"));
    sampling.close();

    assertFalse(samplerThreadAlive("r.c1-a1"), "the sampling thread ended");
    int calls = gpus.calls();
    Thread.sleep(100);
    assertEquals(calls, gpus.calls(), "no reading after close");

    List<SampleRound> rounds = log.read();
    assertEquals("start", rounds.get(0).phase());
    assertEquals("end", rounds.get(rounds.size() - 1).phase());
    assertTrue(
        rounds.subList(1, rounds.size() - 1).stream().allMatch(r -> r.phase().equals("during")));
    assertTrue(rounds.stream().allMatch(r -> r.gpus().size() == 2));
    // Every reading is one virtual second after the previous one.
    for (int i = 1; i < rounds.size(); i++) {
      assertEquals(1000, rounds.get(i).atMillis() - rounds.get(i - 1).atMillis());
    }
    HostMeasurement m = HostMeasurements.of(List.of(A, B), rounds, null);
    double seconds = rounds.size() - 1;
    assertEquals((100 + 250) * seconds, m.energyJ(), 1e-9);
    assertEquals(350.0, m.meanPowerW(), 1e-9);
  }

  @Test
  void aRestartedAwaitAppendsToTheSameRecordAndTheCounterSpansBoth() throws Exception {
    ScriptedGpuTelemetry gpus = ScriptedGpuTelemetry.withStep(1000);
    gpus.gpu(A, 200);
    AttemptFolder folder = AttemptFolder.at(tmp.resolve("a1"));
    SampleLog log = new SampleLog(folder);

    RunSampler first = new RunSampler(gpus, Duration.ofHours(1), gpus.clock());
    first.start(folder, List.of(A), "before-crash").close();
    // The crashed worker was cut off in the middle of a line.
    Files.writeString(log.samplesFile(), "{\"atMillis\": 17", StandardOpenOption.APPEND);
    // Virtual time passes while the activity waits for its retry (the GPU keeps drawing power).
    gpus.sample(List.of());
    gpus.sample(List.of());
    RunSampler second = new RunSampler(gpus, Duration.ofHours(1), gpus.clock());
    second.start(folder, List.of(A), "after-restart").close();

    List<SampleRound> rounds = log.read();
    assertEquals(
        List.of("start", "end", "start", "end"), rounds.stream().map(SampleRound::phase).toList());
    // Readings at 1, 2, (3, 4 unread), 5 and 6 s: the counter covers all 5 s at 200 W.
    HostMeasurement m = HostMeasurements.of(List.of(A), rounds, null);
    assertEquals(5.0, m.durationS(), 1e-9);
    assertEquals(1000.0, m.energyJ(), 1e-9);
    assertEquals("counter", m.method());
  }

  @Test
  void theIdleReferenceGoesToItsOwnFile() {
    ScriptedGpuTelemetry gpus = ScriptedGpuTelemetry.withStep(1000);
    gpus.gpu(A, 61.5);
    AttemptFolder folder = AttemptFolder.at(tmp.resolve("a1"));
    new RunSampler(gpus, Duration.ofSeconds(1), gpus.clock()).sampleIdle(folder, List.of(A));

    SampleLog log = new SampleLog(folder);
    SampleRound idle = log.readIdle().orElseThrow();
    assertEquals("idle", idle.phase());
    assertEquals(61.5, idle.gpus().get(0).powerWatts());
    assertFalse(log.exists(), "the idle reading is not a reading of the run");
  }

  @Test
  void withoutTelemetryNothingIsSampledNorWritten() {
    RunSampler sampler =
        new RunSampler(
            new NoGpuTelemetry("no NVML here"), Duration.ofMillis(10), Clock.systemUTC());
    AttemptFolder folder = AttemptFolder.at(tmp.resolve("a1"));
    sampler.sampleIdle(folder, List.of(A));
    RunSampler.Sampling s = sampler.start(folder, List.of(A), "none");
    assertEquals(RunSampler.Sampling.NONE, s);
    s.close();
    assertFalse(Files.exists(tmp.resolve("a1")));
  }

  @Test
  void aGpuWhoseReadingFailsIsLeftOutAndTheOthersAreKept() {
    ScriptedGpuTelemetry gpus = ScriptedGpuTelemetry.withStep(1000);
    gpus.gpu(A, 100);
    gpus.gpu(B, 100).failing(true);
    AttemptFolder folder = AttemptFolder.at(tmp.resolve("a1"));
    new RunSampler(gpus, Duration.ofHours(1), gpus.clock())
        .start(folder, List.of(A, B), "x")
        .close();
    List<SampleRound> rounds = new SampleLog(folder).read();
    assertEquals(2, rounds.size());
    assertTrue(
        rounds.stream().allMatch(r -> r.gpus().size() == 1 && r.gpus().get(0).uuid().equals(A)));
  }

  @Test
  void eachRoundRecordsTheMonotonicClockSoAWallClockStepShows() {
    ScriptedGpuTelemetry gpus = ScriptedGpuTelemetry.withStep(3000);
    gpus.gpu(A, 100);
    AttemptFolder stopped = AttemptFolder.at(tmp.resolve("stopped"));
    AttemptFolder virtual = AttemptFolder.at(tmp.resolve("virtual"));
    // The wall clock moves 3 s a reading; the monotonic clock stands still.
    new RunSampler(gpus, Duration.ofHours(1), gpus.clock(), () -> 42L)
        .start(stopped, List.of(A), "mono")
        .close();
    new RunSampler(gpus, Duration.ofHours(1), gpus.clock()).start(virtual, List.of(A), "v").close();

    List<SampleRound> rounds = new SampleLog(stopped).read();
    assertEquals(List.of(42L, 42L), rounds.stream().map(SampleRound::monoMillis).toList());
    SampleChecks checks = SampleChecks.of(List.of(A), rounds);
    assertEquals(3.0, checks.clockStepS(), 1e-9);
    assertTrue(checks.clockStepped(3.0));
    assertEquals(
        null, new SampleLog(virtual).read().get(0).monoMillis(), "a virtual clock has none");
    assertEquals(0.0, SampleChecks.of(List.of(A), new SampleLog(virtual).read()).clockStepS());
  }
}
