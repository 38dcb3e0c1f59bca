package org.llenergymeasure.campaign.activities.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.llenergymeasure.campaign.activities.AttemptAbandonedException;
import org.llenergymeasure.campaign.activities.AttemptFolder;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.PollBackoff;
import org.llenergymeasure.campaign.activities.RunCanceledException;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.WatchdogFailures;
import org.llenergymeasure.campaign.activities.WorkerShutdownException;
import org.llenergymeasure.campaign.activities.container.HeartbeatTimer;
import org.llenergymeasure.campaign.activities.container.Heartbeater;
import org.llenergymeasure.campaign.activities.container.Secrets;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.AwaitProgress;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.AwaitResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for a process-mode run to end by polling (never a blocking wait: Temporal must see
 * heartbeats, and the process is usually not this worker's child after a crash).
 *
 * <p>Everything the watchdogs need lives on disk, so a try that re-attaches after a worker crash
 * judges the run as the first try would have: the run started when {@code go} was created (its
 * modification time), it last printed when {@code output.raw} was last modified, and it ended when
 * its wrapper is gone; {@code exit-code} then says how. Timeout, silence and cancellation kill
 * every process of the run ({@link RunProcesses}); a worker shutdown leaves them running.
 */
final class ProcessAwaiter {

  private static final Logger log = LoggerFactory.getLogger(ProcessAwaiter.class);
  private static final int TAIL_LINES = 5;

  private final ProcessOptions options;
  private final Clock clock;

  ProcessAwaiter(ProcessOptions options, Clock clock) {
    this.options = options;
    this.clock = clock;
  }

  AwaitResult await(
      AwaitRequest request,
      HostSettings settings,
      AwaitProgress previous,
      Heartbeater heartbeater) {
    Path dir = ProcessRunBackend.dirOf(request.handle());
    AttemptFolder folder = AttemptFolder.at(dir);
    ProcessRecord record =
        ProcessRecord.read(folder)
            .orElseThrow(
                () ->
                    new RunFailureException(
                        FailureTypes.EXIT_NON_ZERO,
                        "no process was launched for "
                            + request.handle()
                            + " (no "
                            + ProcessRecord.FILE
                            + ")",
                        false));
    Secrets secrets =
        ProcessEnv.forMasking(request.experiment(), settings.workerEnv(), settings.hostId());
    boolean resumed = previous != null && request.handle().equals(previous.handle());
    if (resumed) {
      log.info(
          "re-attached to process {} of {} ({} bytes of output so far)",
          record.pid(),
          request.handle(),
          previous.outputBytes());
    }
    try {
      return watch(request, record, folder, secrets, heartbeater, resumed ? previous.step() : null);
    } catch (RunCanceledException e) {
      log.info("await of {} canceled; killing its processes", request.handle());
      RunProcesses.killAll(record);
      throw e;
    } catch (AttemptAbandonedException e) {
      log.warn("{}; process {} left running", e.getMessage(), record.pid());
      throw e;
    }
  }

  private AwaitResult watch(
      AwaitRequest request,
      ProcessRecord record,
      AttemptFolder folder,
      Secrets secrets,
      Heartbeater heartbeater,
      String previousStep) {
    Experiment experiment = request.experiment();
    ProcessOutput output = new ProcessOutput(folder.dir());
    ProcessSteps steps = new ProcessSteps(folder.resolve(ProcessFiles.OUTPUT), previousStep);
    // Short polls first, so a short run is collected right after it exits.
    PollBackoff backoff = PollBackoff.upTo(options.pollInterval());
    HeartbeatTimer beats = null;
    try {
      while (true) {
        boolean alive = ProcFs.alive(record);
        long startedAt = startedAt(record, folder);
        long lastOutputAt = Math.max(startedAt, output.lastWriteMillis());
        String lastLine = output.lastLine(secrets, alive);
        AwaitProgress progress =
            new AwaitProgress(
                request.handle(),
                startedAt,
                lastOutputAt,
                output.bytes(),
                lastLine,
                steps.read(secrets));
        if (beats == null) {
          // Heartbeats from a timer of their own: a slow disk or a busy host never delays one.
          beats =
              new HeartbeatTimer(heartbeater, options.pollInterval(), progress, request.handle());
        } else {
          beats.update(progress);
        }
        if (!alive) {
          return finish(request, record, folder, output, secrets, startedAt);
        }
        long now = clock.millis();
        if (experiment.timeout() != null && now - startedAt > experiment.timeout().toMillis()) {
          RunProcesses.killAll(record);
          throw WatchdogFailures.wallClock(
              request.run().runId(),
              experiment.timeout(),
              "its processes (process group " + record.pid() + ") were killed",
              lastLine);
        }
        if (experiment.silenceTimeout() != null
            && now - lastOutputAt > experiment.silenceTimeout().toMillis()) {
          RunProcesses.killAll(record);
          throw WatchdogFailures.silence(
              request.run().runId(),
              Duration.ofMillis(now - lastOutputAt),
              experiment.silenceTimeout(),
              "its processes (process group " + record.pid() + ") were killed",
              lastLine);
        }
        try {
          Thread.sleep(backoff.nextPauseMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new WorkerShutdownException(
              "worker shutting down; process " + record.pid() + " keeps running for the next try",
              e);
        }
        beats.check();
      }
    } finally {
      if (beats != null) {
        beats.close();
      }
    }
  }

  private AwaitResult finish(
      AwaitRequest request,
      ProcessRecord record,
      AttemptFolder folder,
      ProcessOutput output,
      Secrets secrets,
      long startedAt) {
    Path exitFile = folder.resolve(ProcessFiles.EXIT_CODE);
    Integer exit = readExit(exitFile);
    if (exit == null) {
      throw new RunFailureException(
          FailureTypes.EXIT_NON_ZERO,
          "run "
              + request.run().runId()
              + "'s process "
              + record.pid()
              + " ended without recording an exit code"
              + " (killed by a signal, e.g. the kernel's OOM killer or someone's kill -9, or the host rebooted)."
              + " Last output:\n"
              + tail(output, secrets),
          false);
    }
    long finished;
    try {
      finished = Files.getLastModifiedTime(exitFile).toMillis();
    } catch (IOException e) {
      finished = clock.millis();
    }
    if (exit == 0) {
      return new AwaitResult(0, Math.max(0, finished - startedAt), output.lastLine(secrets, false));
    }
    String meaning =
        exit == ProcessFiles.HOLD_EXPIRED_EXIT
            ? " (never released after GPU verification)"
            : exit == 127
                ? " (command not found)"
                : exit > 128 && exit < 160
                    ? " (killed by signal "
                        + (exit - 128)
                        + (exit == 137 ? ", maybe the OOM killer" : "")
                        + ")"
                    : "";
    throw new RunFailureException(
        FailureTypes.EXIT_NON_ZERO,
        "run "
            + request.run().runId()
            + " exited with code "
            + exit
            + meaning
            + ". Last output:\n"
            + tail(output, secrets),
        false);
  }

  /** When the command was released (go's time), else when the wrapper was launched. */
  private static long startedAt(ProcessRecord record, AttemptFolder folder) {
    try {
      return Files.getLastModifiedTime(folder.resolve(ProcessFiles.GO)).toMillis();
    } catch (IOException e) {
      return record.launchedAtMillis();
    }
  }

  private static Integer readExit(Path file) {
    try {
      return Integer.parseInt(Files.readString(file, StandardCharsets.US_ASCII).strip());
    } catch (IOException | NumberFormatException e) {
      return null;
    }
  }

  private static String tail(ProcessOutput output, Secrets secrets) {
    List<String> lines = output.tail(TAIL_LINES, secrets, false);
    if (lines.isEmpty()) {
      return "  (none)";
    }
    StringBuilder out = new StringBuilder();
    for (String l : lines) {
      out.append("  ").append(l).append('\n');
    }
    return out.toString().stripTrailing();
  }
}
