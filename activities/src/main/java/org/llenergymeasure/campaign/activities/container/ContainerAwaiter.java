package org.llenergymeasure.campaign.activities.container;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.llenergymeasure.campaign.activities.AttemptAbandonedException;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.PollBackoff;
import org.llenergymeasure.campaign.activities.RunCanceledException;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.WatchdogFailures;
import org.llenergymeasure.campaign.activities.WorkerShutdownException;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.AwaitProgress;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.AwaitResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for a run's container to end by polling {@code inspect} (never an unbounded {@code docker
 * wait}, which would hide a dead worker from Temporal and could not heartbeat), while its log is
 * followed on the engine's thread ({@link LogCursor}) for the silence watchdog and the progress
 * shown in the UI, and heartbeats go from a timer of their own ({@link HeartbeatTimer}): however
 * much the run prints, neither reading it nor a slow engine call can hold up a heartbeat. Between
 * two polls it waits on the engine's {@code wait} endpoint for at most the pause, so an exit ends
 * the pause at once instead of at the next poll (the pause still bounds how long a heartbeat or a
 * watchdog can be late).
 *
 * <p>The wall-clock watchdog counts from the container's own start time, which the engine keeps,
 * and the silence watchdog from the newest log entry's engine timestamp, so a try that re-attaches
 * after a worker crash (given the crashed try's heartbeat details) judges the run exactly as the
 * first try would have. Output bytes carry over from those details too.
 *
 * <p>Polls back off from 25 ms to {@code pollInterval} ({@link PollBackoff}), so a short run is
 * collected right after it exits while a long one is polled (and heartbeats) once a second.
 */
public final class ContainerAwaiter {

  private static final Logger log = LoggerFactory.getLogger(ContainerAwaiter.class);
  private static final int TAIL_LINES = 5;
  private static final int LINE_LIMIT = 200;
  private static final long DRAIN_SECONDS = 10;

  private final DockerEngine engine;
  private final Duration pollInterval;
  private final Clock clock;

  public ContainerAwaiter(DockerEngine engine, Duration pollInterval, Clock clock) {
    this.engine = engine;
    this.pollInterval = pollInterval;
    this.clock = clock;
  }

  /** A worker's awaiter: polls once a second in real time. */
  public static ContainerAwaiter realTime(DockerEngine engine) {
    return new ContainerAwaiter(engine, Duration.ofSeconds(1), Clock.systemUTC());
  }

  /**
   * Waits for the run's container to end, heartbeating and enforcing the watchdogs.
   *
   * @param previous the heartbeat details of a try that crashed while awaiting this run, or null
   * @throws RunFailureException ExitNonZero, OomKilled, WallClockTimeout or SilenceTimeout (not
   *     retryable at activity level: the workflow decides about a new attempt)
   * @throws RunCanceledException from the heartbeater, after the container was removed
   * @throws WorkerShutdownException when the thread is interrupted, or {@link
   *     AttemptAbandonedException} when this try of the activity is over; the container keeps
   *     running either way
   */
  public AwaitResult await(
      AwaitRequest request,
      HostSettings settings,
      AwaitProgress previous,
      Heartbeater heartbeater) {
    String name = request.handle();
    try {
      return watch(request, previous, heartbeater);
    } catch (RunCanceledException e) {
      log.info("await of {} canceled; removing the container", name);
      removeQuietly(name);
      throw e;
    } catch (WorkerShutdownException e) {
      // Shutdown, or this try of the activity is over: the container runs on for the next try.
      if (e instanceof AttemptAbandonedException) {
        log.warn("{}; container {} left running", e.getMessage(), name);
      }
      throw e;
    } catch (RuntimeException e) {
      throw engine.translate(e, "waiting for container " + name);
    }
  }

  private AwaitResult watch(AwaitRequest request, AwaitProgress previous, Heartbeater heartbeater) {
    String name = request.handle();
    Experiment experiment = request.experiment();
    InspectContainerResponse c = inspect(name);

    Secrets secrets = Secrets.fromContainer(c.getConfig().getLabels(), c.getConfig().getEnv());
    boolean resumed = previous != null && name.equals(previous.handle());
    Instant started = parseTime(c.getState().getStartedAt());
    if (started == null) {
      if (!resumed) {
        throw new RunFailureException(
            FailureTypes.EXIT_NON_ZERO,
            "container " + name + " was created but never started; launch starts it",
            false);
      }
      started = Instant.ofEpochMilli(previous.startedAtMillis());
    }
    long startedAt = started.toEpochMilli();
    long lastOutputAt = resumed ? Math.max(previous.lastOutputAtMillis(), startedAt) : startedAt;
    LogCursor cursor =
        resumed
            ? new LogCursor(
                engine,
                name,
                secrets,
                // Everything up to the end of the last counted millisecond was counted already.
                Instant.ofEpochMilli(previous.lastOutputAtMillis()).plusNanos(999_999),
                previous.outputBytes(),
                previous.lastLogLine(),
                previous.step())
            : new LogCursor(engine, name, secrets, null, 0, null, null);
    if (resumed) {
      log.info(
          "re-attached to {} (started {}, {} bytes of output so far)",
          name,
          started,
          previous.outputBytes());
    }
    try (cursor) {
      cursor.follow();
      return poll(request, c, cursor, startedAt, lastOutputAt, heartbeater, secrets);
    }
  }

  private AwaitResult poll(
      AwaitRequest request,
      InspectContainerResponse first,
      LogCursor cursor,
      long startedAt,
      long outputAtStart,
      Heartbeater heartbeater,
      Secrets secrets) {
    String name = request.handle();
    Experiment experiment = request.experiment();
    InspectContainerResponse c = first;
    boolean looked = false;
    long lastOutputAt = outputAtStart;
    PollBackoff backoff = PollBackoff.upTo(pollInterval);
    HeartbeatTimer beats = null;
    try {
      while (true) {
        if (looked) {
          // Log output is read on the engine's thread meanwhile (LogCursor), and heartbeats go
          // from their own timer: neither waits for this loop.
          c = inspect(name);
        }
        looked = true;
        String status = c.getState().getStatus();
        boolean ended = "exited".equals(status) || "dead".equals(status);
        // A run found ended at the first look (a short run, released a moment ago) has no progress
        // to report: its result needs no heartbeat round trip first, unless reading the rest of
        // its output takes a while.
        if (ended && beats == null && cursor.drain(1)) {
          return finish(c, request, secrets, cursor, startedAt, true);
        }
        lastOutputAt = Math.max(lastOutputAt, millis(cursor.lastOutputAt()));
        AwaitProgress progress =
            new AwaitProgress(
                name, startedAt, lastOutputAt, cursor.bytes(), cursor.lastLine(), cursor.step());
        if (beats == null) {
          beats = new HeartbeatTimer(heartbeater, pollInterval, progress, name);
        } else {
          beats.update(progress);
        }
        if (ended) {
          boolean drained = cursor.drain(DRAIN_SECONDS);
          if (!drained) {
            log.info(
                "the log of {} was not followed to its end within {} s of its exit; its last line"
                    + " is read from the end of the log",
                name,
                DRAIN_SECONDS);
          }
          beats.finish(
              new AwaitProgress(
                  name,
                  startedAt,
                  Math.max(lastOutputAt, millis(cursor.lastOutputAt())),
                  cursor.bytes(),
                  cursor.lastLine(),
                  cursor.step()));
          return finish(c, request, secrets, cursor, startedAt, drained);
        }
        long now = clock.millis();
        if (experiment.timeout() != null && now - startedAt > experiment.timeout().toMillis()) {
          kill(name);
          throw WatchdogFailures.wallClock(
              request.run().runId(),
              experiment.timeout(),
              "container " + name + " was killed",
              cursor.lastLine());
        }
        if (experiment.silenceTimeout() != null
            && now - lastOutputAt > experiment.silenceTimeout().toMillis()) {
          kill(name);
          throw WatchdogFailures.silence(
              request.run().runId(),
              Duration.ofMillis(now - lastOutputAt),
              experiment.silenceTimeout(),
              "container " + name + " was killed",
              cursor.lastLine());
        }
        cursor.follow(); // again, if the stream broke while the container runs
        pauseUntilExit(name, backoff.nextPauseMillis());
        beats.check();
      }
    } finally {
      if (beats != null) {
        beats.close();
      }
    }
  }

  private static long millis(Instant at) {
    return at == null ? 0 : at.toEpochMilli();
  }

  private AwaitResult finish(
      InspectContainerResponse c,
      AwaitRequest request,
      Secrets secrets,
      LogCursor cursor,
      long startedAt,
      boolean drained) {
    InspectContainerResponse.ContainerState state = c.getState();
    Instant finished = parseTime(state.getFinishedAt());
    long duration = (finished == null ? clock.millis() : finished.toEpochMilli()) - startedAt;
    long exit = state.getExitCodeLong() == null ? -1 : state.getExitCodeLong();
    if (Boolean.TRUE.equals(state.getOOMKilled())) {
      Long limit = c.getHostConfig() == null ? null : c.getHostConfig().getMemory();
      throw new RunFailureException(
          FailureTypes.OOM_KILLED,
          "run "
              + request.run().runId()
              + " was killed for running out of memory"
              + (limit != null && limit > 0 ? " (limit " + limit + " bytes)" : "")
              + ", exit code "
              + exit
              + ". Last output:\n"
              + tail(c.getId(), secrets)
              + "\nRaise the experiment's `memory:` or make the run use less.",
          false);
    }
    if (exit == 0) {
      // The follow may still be behind a run that printed a flood just before it ended.
      String last = cursor.lastLine();
      if (!drained) {
        List<String> lines = LogTail.lines(engine, c.getId(), 1, secrets);
        last = lines.isEmpty() ? last : lines.get(lines.size() - 1);
      }
      return new AwaitResult(0, duration, last);
    }
    throw new RunFailureException(
        FailureTypes.EXIT_NON_ZERO,
        "run "
            + request.run().runId()
            + " exited with code "
            + exit
            + (exit == HoldFiles.HOLD_EXPIRED_EXIT
                ? " (never released after GPU verification)"
                : "")
            + ". Last output:\n"
            + tail(c.getId(), secrets),
        false);
  }

  /** The last few log lines, each cut short, secrets masked. */
  private String tail(String container, Secrets secrets) {
    StringBuilder out = new StringBuilder();
    for (String line : LogTail.lines(engine, container, TAIL_LINES, secrets)) {
      out.append("  ")
          .append(line.length() > LINE_LIMIT ? line.substring(0, LINE_LIMIT) + "..." : line)
          .append('\n');
    }
    return out.length() == 0 ? "  (none)" : out.toString().stripTrailing();
  }

  private InspectContainerResponse inspect(String name) {
    try {
      return engine.client().inspectContainerCmd(name).exec();
    } catch (NotFoundException e) {
      throw new RunFailureException(
          FailureTypes.EXIT_NON_ZERO,
          "container " + name + " no longer exists: it was removed while the run was awaited",
          false);
    }
  }

  private void kill(String name) {
    try {
      engine.client().killContainerCmd(name).exec();
    } catch (NotFoundException | ConflictException e) {
      // Already gone or already stopped.
    }
  }

  private void removeQuietly(String name) {
    try {
      engine.client().removeContainerCmd(name).withForce(true).exec();
    } catch (NotFoundException | ConflictException e) {
      // Already gone, or being removed.
    } catch (RuntimeException e) {
      log.warn("could not remove container {} after cancellation: {}", name, e.toString());
    }
  }

  /** Waits up to {@code millis} for the container to stop running; returns early when it does. */
  private void pauseUntilExit(String name, long millis) {
    WaitContainerResultCallback exit;
    try {
      exit = engine.client().waitContainerCmd(name).exec(new WaitContainerResultCallback());
    } catch (RuntimeException e) {
      // Gone or refused: the next inspect says what happened; just keep the cadence.
      sleep(name, millis);
      return;
    }
    try {
      exit.awaitCompletion(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerShutdownException(
          "worker shutting down; container " + name + " keeps running for the next try", e);
    } finally {
      try {
        exit.close();
      } catch (IOException | RuntimeException ignored) {
        // closing an HTTP stream that may have ended already
      }
    }
  }

  private void sleep(String name, long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerShutdownException(
          "worker shutting down; container " + name + " keeps running for the next try", e);
    }
  }

  /** Engine timestamps; the zero time "0001-01-01T00:00:00Z" means "never". */
  static Instant parseTime(String text) {
    if (text == null || text.startsWith("0001-")) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
