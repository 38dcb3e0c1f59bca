package org.llenergymeasure.campaign.activities.workflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.RunBackend;
import org.llenergymeasure.campaign.activities.RunCanceledException;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.container.Heartbeater;
import org.llenergymeasure.campaign.activities.container.ProbeOutputs;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.AwaitProgress;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.AwaitResult;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;
import org.llenergymeasure.campaign.workflows.host.RoutedDevice;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;

/**
 * The only fake of the workflow tests: the run backend. Every run attempt behaves as scripted by
 * run id and attempt (default: succeed, writing a result file); everything else (router, leases,
 * verifier, collector, ledger) is the real code. It records what happened, with the test server's
 * clock, so tests can assert order and timing.
 */
public final class ScriptedRunBackend implements RunBackend {

  public enum Behaviour {
    /** Writes {"energy_j": ...} to the attempt folder and exits 0. */
    SUCCEED,
    /** Exits 3: ExitNonZero. */
    EXIT_NON_ZERO,
    /** Exits 0 without a result file: ResultMissing (found by the real collector). */
    NO_RESULT,
    /** Runs until canceled (heartbeating), then stops like a removed container. */
    HANG
  }

  /** One thing that happened to a container: "launch", "await", "canceled", "cleanup". */
  public record Event(String what, String runId, int attempt, long atMillis) {}

  private final Map<String, Behaviour> script = new ConcurrentHashMap<>();
  private final Map<String, String> results = new ConcurrentHashMap<>();
  private final Map<String, String> upstreamErrors = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> awaiting = new ConcurrentHashMap<>();
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final Set<String> live = ConcurrentHashMap.newKeySet();
  private final LongSupplier clock;
  private final Map<String, String> steps = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> released = new ConcurrentHashMap<>();

  public ScriptedRunBackend(LongSupplier clock) {
    this.clock = clock;
  }

  public ScriptedRunBackend on(String runId, int attempt, Behaviour behaviour) {
    script.put(runId + "#" + attempt, behaviour);
    return this;
  }

  /** The result file a succeeding attempt writes (instead of the default one). */
  public ScriptedRunBackend result(String runId, int attempt, String json) {
    results.put(runId + "#" + attempt, json);
    return this;
  }

  /**
   * The attempt writes llenergymeasure's error file ({@code llem_error.json}) with this exception
   * type into its folder, then exits 1 as upstream does.
   */
  public ScriptedRunBackend upstreamError(String runId, int attempt, String type) {
    upstreamErrors.put(runId + "#" + attempt, type);
    return this;
  }

  /** Blocks until the attempt is in await (for tests that act on a running run). */
  public void waitUntilAwaiting(String runId, int attempt) throws InterruptedException {
    if (!latch(runId, attempt).await(60, TimeUnit.SECONDS)) {
      throw new AssertionError(
          runId + " attempt " + attempt + " never reached await; events: " + events);
    }
  }

  /**
   * The attempt first heartbeats {@code step} as its progress step (as a run printing a progress
   * event would) until {@link #release}, then behaves as scripted.
   */
  public ScriptedRunBackend step(String runId, int attempt, String step) {
    steps.put(runId + "#" + attempt, step);
    released.put(runId + "#" + attempt, new CountDownLatch(1));
    return this;
  }

  /** Lets an attempt scripted with {@link #step} go on. */
  public void release(String runId, int attempt) {
    released.get(runId + "#" + attempt).countDown();
  }

  public List<Event> events() {
    return List.copyOf(events);
  }

  public List<Event> events(String what) {
    return events.stream().filter(e -> e.what().equals(what)).toList();
  }

  /** Containers launched and not yet removed. */
  public Set<String> live() {
    return Set.copyOf(live);
  }

  private CountDownLatch latch(String runId, int attempt) {
    return awaiting.computeIfAbsent(runId + "#" + attempt, k -> new CountDownLatch(1));
  }

  private static String handle(String runId, int attempt) {
    return "fake-" + runId + "-a" + attempt;
  }

  private void record(String what, String runId, int attempt) {
    events.add(new Event(what, runId, attempt, clock.getAsLong()));
  }

  @Override
  public LaunchResult launch(LaunchRequest request, HostSettings settings) {
    var run = request.run();
    String handle = handle(run.runId(), run.attempt());
    if (live.add(handle)) {
      record("launch", run.runId(), run.attempt());
    }
    Path dir = settings.attemptDir(run);
    mkdirs(dir);
    return new LaunchResult(handle, "started", dir.toString());
  }

  /** What nvidia-smi -L prints inside a container that sees exactly the routed GPUs. */
  @Override
  public ProbeOutputs probe(VerifyRequest request, HostSettings settings) {
    List<String> lines = new ArrayList<>();
    List<RoutedDevice> devices = request.routing().devices();
    for (int i = 0; i < devices.size(); i++) {
      lines.add(
          "GPU " + i + ": " + devices.get(i).name() + " (UUID: " + devices.get(i).uuid() + ")");
    }
    return new ProbeOutputs(String.join("\n", lines) + "\n", 0, null, null, false);
  }

  @Override
  public void release(String handle) {}

  @Override
  public void discard(String handle) {
    live.remove(handle);
  }

  @Override
  public AwaitResult await(
      AwaitRequest request,
      HostSettings settings,
      AwaitProgress previous,
      Heartbeater heartbeater) {
    var run = request.run();
    record("await", run.runId(), run.attempt());
    latch(run.runId(), run.attempt()).countDown();
    String step = steps.get(run.runId() + "#" + run.attempt());
    if (step != null) {
      heartbeatStep(
          heartbeater, handle(run.runId(), run.attempt()), step, run.runId(), run.attempt());
    }
    Behaviour behaviour = script.getOrDefault(run.runId() + "#" + run.attempt(), Behaviour.SUCCEED);
    Path dir = settings.attemptDir(run);
    String upstreamError = upstreamErrors.get(run.runId() + "#" + run.attempt());
    if (upstreamError != null) {
      write(
          dir.resolve("llem_error.json"),
          "{\"type\": \"" + upstreamError + "\", \"message\": \"scripted\", \"traceback\": \"\"}");
      throw new RunFailureException(FailureTypes.EXIT_NON_ZERO, "the run exited 1", false);
    }
    switch (behaviour) {
      case SUCCEED -> {
        String json =
            results.getOrDefault(
                run.runId() + "#" + run.attempt(),
                "{\"energy_j\": " + (100 + run.attempt()) + ", \"run\": \"" + run.runId() + "\"}");
        write(dir.resolve(request.experiment().resultFile()), json);
        return new AwaitResult(0, 1000, "done");
      }
      case NO_RESULT -> {
        return new AwaitResult(0, 1000, "done, but forgot the result");
      }
      case EXIT_NON_ZERO ->
          throw new RunFailureException(
              FailureTypes.EXIT_NON_ZERO,
              "the run exited 3 (scripted failure of " + run.runId() + " a" + run.attempt() + ")",
              false);
      case HANG -> {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        try {
          while (System.nanoTime() < until) {
            heartbeater.heartbeat(
                new AwaitProgress(
                    handle(run.runId(), run.attempt()), 0, 0, 0, "still running", null));
            Thread.sleep(20);
          }
        } catch (RunCanceledException canceled) {
          record("canceled", run.runId(), run.attempt());
          live.remove(handle(run.runId(), run.attempt()));
          throw canceled;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new AssertionError("a hanging run was never canceled: " + run.runId());
      }
      default -> throw new IllegalStateException(behaviour.toString());
    }
  }

  private void heartbeatStep(
      Heartbeater heartbeater, String handle, String step, String runId, int attempt) {
    CountDownLatch go = released.get(runId + "#" + attempt);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    try {
      while (!go.await(100, TimeUnit.MILLISECONDS)) {
        heartbeater.heartbeat(new AwaitProgress(handle, 0, 0, 0, "working", step));
        if (System.nanoTime() > until) {
          throw new AssertionError("a run showing a step was never released: " + runId);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void cleanup(CleanupRequest request, HostSettings settings) {
    if (request.handle() != null && live.remove(request.handle())) {
      record("cleanup", request.run().runId(), request.run().attempt());
    }
  }

  @Override
  public boolean saveLog(String handle, Path attemptDir) {
    write(attemptDir.resolve("log.txt"), "log of " + handle + "\n");
    return true;
  }

  private static void mkdirs(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
