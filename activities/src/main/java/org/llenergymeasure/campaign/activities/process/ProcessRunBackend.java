package org.llenergymeasure.campaign.activities.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.activities.AttemptFolder;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.RunBackend;
import org.llenergymeasure.campaign.activities.container.Heartbeater;
import org.llenergymeasure.campaign.activities.container.ProbeOutputs;
import org.llenergymeasure.campaign.activities.container.Secrets;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.workflows.host.AwaitProgress;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.AwaitResult;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attach mode {@code process}: the run's command as a local process on the worker's host, no
 * Docker. Same life cycle as a container run: launch holds it, probe checks the GPUs it will see,
 * release lets it start, await watches it, cleanup makes sure nothing of it is left.
 *
 * <ul>
 *   <li><b>Command and environment.</b> The experiment's {@code command:} (required; {@code image},
 *       {@code mounts}, {@code memory}, {@code shmSize}, {@code ipc} and {@code network} are
 *       container settings and are not applied) with the environment of {@link ProcessEnv}: the
 *       routing's {@code CUDA_VISIBLE_DEVICES=<UUIDs>} and {@code CUDA_DEVICE_ORDER=PCI_BUS_ID},
 *       the experiment's env and secrets (read by name from the worker's environment; missing =
 *       SecretMissing), and {@code LLEM_RESULTS_DIR}.
 *   <li><b>Files.</b> The working directory is the attempt folder {@code
 *       <results>/<campaign>/<runId>/a<n>/}, also exported as {@code LLEM_RESULTS_DIR}. The run
 *       writes its result file ({@code resultFile}) there: the experiment's {@code resultsDir} is a
 *       path inside a container and is not used in this mode. stdout and stderr go to {@code
 *       output.raw}; {@code log.txt} is its copy with secret values masked (the raw file is deleted
 *       by cleanup). See {@link ProcessFiles} for the control files.
 *   <li><b>Crash safety.</b> See {@link ProcessLauncher} (idempotent launch through {@code
 *       process.json} with pid, start time and boot id) and {@link ProcessAwaiter} (watchdogs from
 *       file times). The handle is {@code process:<attempt folder>}.
 *   <li><b>Verification.</b> See {@link ProcessProbe}: the CUDA view only.
 *   <li><b>Limits.</b> A child that clears its environment and leaves the run's session escapes
 *       cleanup. Linux only ({@code /proc}, {@code setsid}).
 * </ul>
 */
public final class ProcessRunBackend implements RunBackend {

  /** Prefix of process-mode handles; never a valid container name, so the two cannot mix. */
  public static final String HANDLE_PREFIX = "process:";

  private static final Logger log = LoggerFactory.getLogger(ProcessRunBackend.class);

  private final Map<String, String> workerEnv;
  private final ProcessLauncher launcher;
  private final ProcessProbe probe;
  private final ProcessAwaiter awaiter;

  /**
   * @param workerEnv the worker's environment; only used to mask secret values in saved logs (the
   *     other steps take it from their {@link HostSettings})
   */
  public ProcessRunBackend(Map<String, String> workerEnv, ProcessOptions options) {
    this.workerEnv = Map.copyOf(workerEnv);
    this.launcher = new ProcessLauncher(options);
    this.probe = new ProcessProbe(options);
    this.awaiter = new ProcessAwaiter(options, Clock.systemUTC());
  }

  public static boolean isProcessHandle(String handle) {
    return handle != null && handle.startsWith(HANDLE_PREFIX);
  }

  static String handleFor(Path attemptDir) {
    return HANDLE_PREFIX + attemptDir.toAbsolutePath().normalize();
  }

  /** The attempt folder of a process handle. */
  public static Path dirOf(String handle) {
    if (!isProcessHandle(handle)) {
      throw new IllegalArgumentException("not a process-mode handle: " + handle);
    }
    return Path.of(handle.substring(HANDLE_PREFIX.length()));
  }

  @Override
  public LaunchResult launch(LaunchRequest request, HostSettings settings) {
    return launcher.launch(request, settings);
  }

  @Override
  public ProbeOutputs probe(VerifyRequest request, HostSettings settings) {
    return probe.run(request, settings);
  }

  @Override
  public void release(String handle) {
    launcher.release(dirOf(handle), handle);
  }

  @Override
  public void discard(String handle) {
    launcher.discard(dirOf(handle));
  }

  @Override
  public AwaitResult await(
      AwaitRequest request,
      HostSettings settings,
      AwaitProgress previous,
      Heartbeater heartbeater) {
    return awaiter.await(request, settings, previous, heartbeater);
  }

  @Override
  public boolean saveLog(String handle, Path attemptDir) {
    AttemptFolder folder = AttemptFolder.at(attemptDir);
    var record = ProcessRecord.read(folder);
    List<String> names = record.map(ProcessRecord::secrets).orElse(List.of());
    long limit = record.map(ProcessRecord::logLimit).orElse(Experiment.DEFAULT_LOG_LIMIT);
    return new ProcessOutput(folder.dir())
        .saveLog(folder.dir(), Secrets.present(names, workerEnv), limit);
  }

  /**
   * Kills whatever of the run still runs, saves {@code log.txt}, and removes the raw output and the
   * control files ({@code process.json} and {@code exit-code} stay as a record). Idempotent; also
   * works without a handle (a launch that started the process but never reported back).
   */
  @Override
  public void cleanup(CleanupRequest request, HostSettings settings) {
    AttemptFolder folder =
        request.handle() != null
            ? AttemptFolder.at(dirOf(request.handle()))
            : AttemptFolder.of(settings, request.run());
    if (!Files.isDirectory(folder.dir())) {
      return;
    }
    var record = ProcessRecord.read(folder);
    if (record.isPresent()) {
      int killed = RunProcesses.killAll(record.get());
      if (killed > 0) {
        log.info("killed {} leftover process(es) of {}", killed, folder.dir());
      }
    }
    saveLog(request.handle(), folder.dir());
    for (String name :
        List.of(
            ProcessFiles.OUTPUT,
            ProcessFiles.GO,
            ProcessFiles.OWNER,
            ProcessFiles.CUDA_VIEW,
            AttemptLock.FILE)) {
      try {
        Files.deleteIfExists(folder.resolve(name));
      } catch (IOException e) {
        log.warn("could not remove {}: {}", folder.resolve(name), e.toString());
      }
    }
  }
}
