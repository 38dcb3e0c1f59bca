package org.llenergymeasure.campaign.activities.process;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.llenergymeasure.campaign.activities.AttemptFolder;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.WorkerShutdownException;
import org.llenergymeasure.campaign.activities.container.Secrets;
import org.llenergymeasure.campaign.activities.upstream.UpstreamConfig;
import org.llenergymeasure.campaign.activities.upstream.UpstreamContract;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a process-mode run, or finds the one an earlier try of launch started.
 *
 * <p><b>Start.</b> The experiment's command (for an experiment of llenergymeasure: {@code <python>
 * -m llenergymeasure.entrypoints.container}, its config written into the run folder first) runs
 * under a small {@code /bin/sh} wrapper ({@link ProcessFiles#wrapperScript}) in a new session
 * ({@code setsid}), so that it has a process group of its own (killed as a whole), survives the
 * worker (a worker crash or Ctrl-C in the worker's terminal does not reach it) and never holds a
 * pipe to the worker (stdin is /dev/null, stdout and stderr go straight to {@code output.raw},
 * which the worker opens). The working directory and {@code LLEM_RESULTS_DIR} are the attempt's run
 * folder {@code a<n>/out/}; the attempt folder around it keeps the worker's records ({@code
 * output.raw}, 0600, {@code process.json}, ...). The wrapper holds the command until the {@code go}
 * file appears (see {@link #release}) and records its exit status in {@code exit-code}, which is
 * how a later worker learns how a run ended that it did not start. With {@code user:} the command
 * alone runs as that user ({@link ProcessUser}); the wrapper stays the worker's.
 *
 * <p><b>Idempotency.</b> Launch holds a lock on the attempt folder, then reads {@code
 * process.json}. A recorded process that still runs (same pid, start time and boot) is "attached";
 * one that ended is "exited" (await reports its exit code, or that it vanished). A held process
 * that vanished before release (the host rebooted) measured nothing and is started again. A crash
 * between starting the wrapper and writing {@code process.json} leaves a held wrapper that no
 * record names: the next launch writes a new token into {@code owner}, and the old wrapper, which
 * checks it while waiting, leaves without running anything.
 */
final class ProcessLauncher {

  private static final Logger log = LoggerFactory.getLogger(ProcessLauncher.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long PID_WAIT_MILLIS = 10_000;

  private final ProcessOptions options;

  ProcessLauncher(ProcessOptions options) {
    this.options = options;
  }

  LaunchResult launch(LaunchRequest request, HostSettings settings) {
    AttemptFolder folder = AttemptFolder.create(settings, request.run());
    folder.write("routing.json", routingJson(request));
    String handle = ProcessRunBackend.handleFor(folder.dir());
    return AttemptLock.with(
        folder.dir(),
        () -> {
          Optional<ProcessRecord> existing = ProcessRecord.read(folder);
          if (existing.isPresent()) {
            String state = resume(existing.get(), folder, handle);
            if (state != null) {
              return new LaunchResult(handle, state, folder.dir().toString());
            }
          }
          start(request, settings, folder);
          log.info(
              "started held process for run {} in {}", request.run().resultPath(), folder.dir());
          return new LaunchResult(handle, "started", folder.dir().toString());
        });
  }

  /** "attached", "exited", or null when the attempt must be started (again). */
  private static String resume(ProcessRecord record, AttemptFolder folder, String handle) {
    if (ProcFs.alive(record)) {
      log.info("process {} of {} is already running; attaching", record.pid(), handle);
      return "attached";
    }
    if (Files.exists(folder.resolve(ProcessFiles.EXIT_CODE))
        || Files.exists(folder.resolve(ProcessFiles.GO))) {
      log.info(
          "process {} of {} ended while nobody watched; its exit will be collected",
          record.pid(),
          handle);
      return "exited";
    }
    log.info(
        "held process {} of {} vanished before release (reboot?); starting it again",
        record.pid(),
        handle);
    return null;
  }

  private void start(LaunchRequest request, HostSettings settings, AttemptFolder folder) {
    Experiment experiment = request.experiment();
    List<String> command = command(experiment);
    // SecretMissing before anything runs.
    Secrets secrets =
        Secrets.resolve(experiment.secrets(), settings.workerEnv(), settings.hostId());
    // LaunchFailed before anything is written: a worker that is not root, an unknown user.
    ProcessUser user =
        experiment.user() == null ? null : ProcessUser.resolve(experiment, settings.hostId());
    String token = HexFormat.of().formatHex(randomBytes());
    folder.write(ProcessFiles.OWNER, token + "\n");
    Path runDir = folder.createRunDir();
    UpstreamConfig.writeIfAny(runDir, experiment.llenergymeasure());
    if (user != null) {
      user.prepare(folder.dir(), runDir, settings.hostId());
    }
    Map<String, String> env =
        ProcessEnv.build(settings.workerEnv(), experiment, request.routing(), runDir, token, user);
    List<String> argv = new ArrayList<>();
    argv.add(utilLinux("setsid"));
    argv.add("/bin/sh");
    argv.add("-c");
    argv.add(ProcessFiles.wrapperScript(options.holdLimit()));
    argv.add("llem-run");
    argv.add(folder.dir().toString());
    argv.add(token);
    argv.add(ProcessFiles.ticks(options.holdLimit()));
    if (user != null) {
      // Only the command switches; the wrapper stays the worker's to record its exit code.
      argv.addAll(user.prefix());
    }
    argv.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(argv).directory(runDir.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    // Made by the worker, readable by its user only, before the run can write a secret into it.
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile(folder).toFile()));
    builder.redirectErrorStream(true);
    long launchedAt = System.currentTimeMillis();
    Process wrapper;
    try {
      wrapper = builder.start();
    } catch (IOException e) {
      throw new RunFailureException(
          FailureTypes.EXIT_NON_ZERO,
          "cannot start the run's process on host "
              + settings.hostId()
              + " ("
              + e.getMessage()
              + "); process mode needs /bin/sh and setsid (util-linux) on the worker's host",
          false,
          e);
    }
    long pid = awaitPid(folder, token, wrapper);
    ProcStat stat =
        ProcFs.stat(pid)
            .orElseThrow(
                () ->
                    new RunFailureException(
                        FailureTypes.EXIT_NON_ZERO,
                        "the run's process "
                            + pid
                            + " ended at once; see "
                            + folder.resolve(ProcessFiles.OUTPUT),
                        false));
    new ProcessRecord(
            pid,
            stat.startTicks(),
            ProcFs.bootId(),
            token,
            launchedAt,
            // Masked too: a campaign file could spell a secret's value out in the command.
            command.stream().map(secrets::redact).toList(),
            experiment.secrets(),
            experiment.logLimit())
        .write(folder);
    try {
      Files.deleteIfExists(folder.resolve(ProcessFiles.pidFile(token)));
    } catch (IOException e) {
      // Only a leftover.
    }
  }

  /**
   * What the run executes: the experiment's command, or for an experiment of llenergymeasure its
   * entry point under the experiment's interpreter ({@link UpstreamContract#processCommand}).
   */
  private static List<String> command(Experiment experiment) {
    if (experiment.llenergymeasure() != null) {
      return UpstreamContract.processCommand(experiment.llenergymeasure());
    }
    if (experiment.command() == null || experiment.command().isEmpty()) {
      throw new RunFailureException(
          FailureTypes.EXIT_NON_ZERO,
          "experiment "
              + experiment.name()
              + " has no `command:`; attach mode process runs the experiment's command on the host"
              + " (an image's default command exists only in container modes). Add a `command:`.",
          false);
    }
    return experiment.command();
  }

  /** {@code output.raw} in the worker's folder, made 0600 by the worker before the run starts. */
  private static Path outputFile(AttemptFolder folder) {
    Path file = folder.resolve(ProcessFiles.OUTPUT);
    ProcessOutput.createPrivate(file);
    return file;
  }

  /** The wrapper's pid as it wrote it: setsid may fork, so the spawned pid is not always it. */
  private static long awaitPid(AttemptFolder folder, String token, Process wrapper) {
    Path file = folder.resolve(ProcessFiles.pidFile(token));
    long end = System.currentTimeMillis() + PID_WAIT_MILLIS;
    while (System.currentTimeMillis() < end) {
      try {
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (!text.isEmpty()) {
          return Long.parseLong(text);
        }
      } catch (IOException | NumberFormatException e) {
        // Not written yet (or being written).
      }
      if (!wrapper.isAlive() && !Files.exists(file)) {
        break;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WorkerShutdownException("interrupted while starting " + folder.dir(), e);
      }
    }
    wrapper.destroyForcibly();
    throw new RunFailureException(
        FailureTypes.EXIT_NON_ZERO,
        "the run's wrapper did not start within "
            + PID_WAIT_MILLIS / 1000
            + " s (exit "
            + (wrapper.isAlive() ? "none" : wrapper.exitValue())
            + "); see "
            + folder.resolve(ProcessFiles.OUTPUT),
        true);
  }

  /** Lets a held run start its command; idempotent. */
  void release(Path attemptDir, String handle) {
    AttemptFolder folder = AttemptFolder.at(attemptDir);
    ProcessRecord record =
        ProcessRecord.read(folder)
            .orElseThrow(
                () ->
                    new RunFailureException(
                        FailureTypes.EXIT_NON_ZERO,
                        "no process was launched for "
                            + handle
                            + " (no "
                            + ProcessRecord.FILE
                            + "), so none can be released",
                        false));
    if (!ProcFs.alive(record)) {
      log.info("process {} of {} is not running; nothing to release", record.pid(), handle);
      return;
    }
    folder.write(ProcessFiles.GO, "released " + java.time.Instant.now() + "\n");
  }

  /** Kills a run before it measured anything (a GPU mismatch); idempotent. */
  void discard(Path attemptDir) {
    ProcessRecord.read(AttemptFolder.at(attemptDir)).ifPresent(RunProcesses::killAll);
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return b;
  }

  /** A util-linux program ({@code setsid}, {@code setpriv}) where Debian puts it, else by name. */
  static String utilLinux(String program) {
    for (String dir : List.of("/usr/bin/", "/bin/")) {
      if (Files.isExecutable(Path.of(dir + program))) {
        return dir + program;
      }
    }
    return program;
  }

  private static String routingJson(LaunchRequest request) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(request.routing()) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("GpuRouting is a plain record and always serialises", e);
    }
  }
}
