package org.llenergymeasure.campaign.activities.container;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.llenergymeasure.campaign.activities.AttemptFolder;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.WorkerShutdownException;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks a held run (see {@link ContainerLauncher}) which GPUs it sees — reading the answers the held
 * container wrote itself ({@link SelfProbe}), else by exec inside it — and keeps the raw answers in
 * the attempt's {@code probe.txt}. Judging them against the routing is the verifier's job, not this
 * class's.
 */
public final class ContainerProbe {

  static final List<String> DEFAULT_DEVICE_VIEW = List.of("nvidia-smi", "-L");
  static final List<String> CUDA_VIEW = List.of("/bin/sh", HoldFiles.CUDA_VIEW);

  /** Lists GPU device nodes with shell builtins only, so it works in any image with /bin/sh. */
  static final List<String> DEV_NODES =
      List.of(
          "/bin/sh",
          "-c",
          "for f in /dev/nvidia[0-9]*; do if [ -e \"$f\" ]; then echo \"$f\"; fi; done; exit 0");

  private static final Duration PROBE_LIMIT = Duration.ofMinutes(2);

  /** How long a held container may take to begin its own probes before exec asks instead. */
  static final Duration SELF_PROBE_START_LIMIT = Duration.ofSeconds(10);

  private static final Duration SELF_PROBE_POLL = Duration.ofMillis(5);
  private static final Logger log = LoggerFactory.getLogger(ContainerProbe.class);

  /** Runs the CUDA view next to the device view; daemon threads, so a worker can always exit. */
  private static final ExecutorService PROBE_THREADS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "llem-probe");
            t.setDaemon(true);
            return t;
          });

  private final DockerEngine engine;
  private final ContainerExec exec;

  public ContainerProbe(DockerEngine engine) {
    this.engine = engine;
    this.exec = new ContainerExec(engine);
  }

  public ProbeOutputs run(VerifyRequest request, HostSettings settings) {
    try {
      return probe(request, settings);
    } catch (RuntimeException e) {
      throw engine.translate(e, "probing the GPUs of container " + request.handle());
    }
  }

  private ProbeOutputs probe(VerifyRequest request, HostSettings settings) {
    GpuRouting routing = request.routing();
    InspectContainerResponse container = inspect(request.handle());
    // The run's env holds its secrets; a probe that prints them must not get them into probe.txt.
    Secrets secrets =
        container == null
            ? Secrets.none()
            : Secrets.fromContainer(
                container.getConfig().getLabels(), container.getConfig().getEnv());
    AttemptFolder folder = AttemptFolder.create(settings, request.run());
    StringBuilder record = new StringBuilder();
    record
        .append("# llem-campaign probe of ")
        .append(request.handle())
        .append(" (image ")
        .append(request.experiment().image())
        .append(")\n");
    Optional<Path> answers = selfProbeAnswers(container, request, folder);
    Path control = folder.resolve(ContainerLauncher.CONTROL_DIR);
    if (routing.noGpu()) {
      ExecResult nodes = ask(answers, SelfProbe.NODES, DEV_NODES, request, secrets);
      record(record, DEV_NODES, nodes);
      answers.ifPresent(runDir -> SelfProbe.consume(control, runDir));
      folder.write("probe.txt", record.toString());
      if (nodes.exitCode() != 0) {
        throw probeFailed(request, DEV_NODES, nodes);
      }
      return new ProbeOutputs(null, null, null, null, !nodes.stdout().isBlank());
    }
    List<String> deviceCommand = deviceCommand(request.experiment());
    // Asked by exec, the CUDA view runs alongside the device view: each exec is a few Docker
    // round trips (~75 ms here), and the two read-only probes do not depend on each other. Its
    // answer is used (and recorded) only when the device view could run.
    CompletableFuture<ExecResult> cudaRun =
        answers.isPresent()
            ? CompletableFuture.completedFuture(
                ask(answers, SelfProbe.CUDA, CUDA_VIEW, request, secrets))
            : CompletableFuture.supplyAsync(
                () -> ask(answers, SelfProbe.CUDA, CUDA_VIEW, request, secrets), PROBE_THREADS);
    ExecResult device = ask(answers, SelfProbe.DEVICE, deviceCommand, request, secrets);
    record(record, deviceCommand, device);
    ExecResult cuda = null;
    if (!cannotRun(device)) {
      cuda = join(cudaRun);
      record(record, CUDA_VIEW, cuda);
    } else {
      cudaRun.cancel(false);
    }
    answers.ifPresent(runDir -> SelfProbe.consume(control, runDir));
    // Written before judging, so a probe that could not run leaves its evidence behind.
    folder.write("probe.txt", record.toString());
    if (cannotRun(device)) {
      throw probeFailed(request, deviceCommand, device);
    }
    return new ProbeOutputs(
        device.combined(), device.exitCode(), cuda.combined(), cuda.exitCode(), false);
  }

  /** The device view: the experiment's {@code probe}, else {@code nvidia-smi -L}. */
  static List<String> deviceCommand(Experiment experiment) {
    return experiment.probe() != null && !experiment.probe().isEmpty()
        ? experiment.probe()
        : DEFAULT_DEVICE_VIEW;
  }

  /**
   * The run folder where the held container wrote its own probe answers ({@link SelfProbe}), once
   * they are complete; empty when it probes nothing itself (answers already read once, a results
   * mount its user cannot write, or a container that is no longer running) or its answers are
   * incomplete, so exec asks instead. Everything in the run folder is looked at through {@link
   * org.llenergymeasure.campaign.activities.RunFolder}: the image's probe may have left links.
   */
  private Optional<Path> selfProbeAnswers(
      InspectContainerResponse container, VerifyRequest request, AttemptFolder folder) {
    // Only a running held run is judged; one that ended is asked by exec, which fails as before.
    if (container == null || !Boolean.TRUE.equals(container.getState().getRunning())) {
      return Optional.empty();
    }
    Optional<Path> control = ContainerLauncher.controlDir(container);
    if (control.isEmpty() || !Files.exists(control.get().resolve(SelfProbe.SCRIPT))) {
      return Optional.empty();
    }
    Path out = folder.runDir();
    if (SelfProbe.consumed(control.get())) {
      return Optional.empty();
    }
    long start = System.nanoTime();
    long lastStateCheck = start;
    while (!SelfProbe.wrote(out, SelfProbe.DONE)) {
      long now = System.nanoTime();
      boolean started = SelfProbe.wrote(out, SelfProbe.STARTED);
      if (!started && now - start > SELF_PROBE_START_LIMIT.toNanos()) {
        log.info(
            "container {} wrote no probe answers within {} s; asking by exec",
            request.handle(),
            SELF_PROBE_START_LIMIT.toSeconds());
        return Optional.empty();
      }
      if (now - start > PROBE_LIMIT.toNanos()) {
        throw new RunFailureException(
            FailureTypes.PROBE_FAILED,
            "the GPU probe `"
                + String.join(" ", deviceCommand(request.experiment()))
                + "` in container "
                + request.handle()
                + " (image "
                + request.experiment().image()
                + ") did not finish within "
                + PROBE_LIMIT.toMinutes()
                + " min; fix the experiment's `probe:` command or the image",
            false);
      }
      if (now - lastStateCheck > Duration.ofSeconds(1).toNanos()) {
        lastStateCheck = now;
        InspectContainerResponse c = inspect(request.handle());
        if (c == null || !Boolean.TRUE.equals(c.getState().getRunning())) {
          throw new RunFailureException(
              FailureTypes.PROBE_FAILED,
              "container "
                  + request.handle()
                  + " (image "
                  + request.experiment().image()
                  + ") ended before its GPU probe finished"
                  + (c == null ? "" : " (exit " + c.getState().getExitCodeLong() + ")")
                  + "; see the attempt's "
                  + ContainerLogs.FILE,
              false);
        }
      }
      sleep(SELF_PROBE_POLL);
    }
    // Complete, readable answers only: a launch tried again at the same moment clears stale answers
    // before it finds this container, and what it cleared is asked again by exec.
    if (!SelfProbe.complete(out, request.routing().noGpu())) {
      log.info(
          "container {}: its own probe answers are incomplete or unreadable; asking by exec",
          request.handle());
      return Optional.empty();
    }
    return Optional.of(out);
  }

  /**
   * One probe's answer, redacted: what the held run wrote itself ({@code answers}, complete by
   * {@link #selfProbeAnswers}), else by exec.
   */
  private ExecResult ask(
      Optional<Path> answers,
      String name,
      List<String> command,
      VerifyRequest request,
      Secrets secrets) {
    if (answers.isEmpty()) {
      return execProbe(request, command, secrets);
    }
    ExecResult raw =
        SelfProbe.answer(answers.get(), name)
            .orElse(new ExecResult(-1, "", "the probe ended without writing its exit code"));
    return new ExecResult(
        raw.exitCode(), secrets.redact(raw.stdout()), secrets.redact(raw.stderr()));
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerShutdownException("interrupted while waiting for the GPU probe", e);
    }
  }

  private InspectContainerResponse inspect(String container) {
    try {
      return engine.client().inspectContainerCmd(container).exec();
    } catch (com.github.dockerjava.api.exception.NotFoundException e) {
      return null;
    }
  }

  /** Runs one probe command by exec; an exec the engine refuses is exit -1. */
  private ExecResult execProbe(VerifyRequest request, List<String> command, Secrets secrets) {
    try {
      ExecResult raw = exec.run(request.handle(), command, null, PROBE_LIMIT);
      return new ExecResult(
          raw.exitCode(), secrets.redact(raw.stdout()), secrets.redact(raw.stderr()));
    } catch (DockerException e) {
      return new ExecResult(-1, "", "the engine refused the exec: " + e.getMessage());
    }
  }

  private static ExecResult join(CompletableFuture<ExecResult> run) {
    try {
      return run.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerShutdownException("interrupted while probing the GPUs", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static void record(StringBuilder record, List<String> command, ExecResult result) {
    record.append("\n$ ").append(String.join(" ", command)).append("\n").append(result.combined());
    if (!result.combined().isEmpty() && !result.combined().endsWith("\n")) {
      record.append('\n');
    }
    record.append("[exit ").append(result.exitCode()).append("]\n");
  }

  private static boolean cannotRun(ExecResult r) {
    String text = r.combined().toLowerCase(Locale.ROOT);
    return r.exitCode() < 0
        || r.exitCode() == 126
        || r.exitCode() == 127
        || text.contains("executable file not found")
        || text.contains("not found");
  }

  private static RunFailureException probeFailed(
      VerifyRequest request, List<String> command, ExecResult result) {
    boolean custom =
        request.experiment().probe() != null && !request.experiment().probe().isEmpty();
    return new RunFailureException(
        FailureTypes.PROBE_FAILED,
        "the GPU probe `"
            + String.join(" ", command)
            + "` could not run in image "
            + request.experiment().image()
            + " (container "
            + request.handle()
            + ", exit "
            + result.exitCode()
            + ": "
            + truncate(result.combined().strip())
            + "). "
            + (custom
                ? "Fix the experiment's `probe:` command (it must print the GPU UUIDs it sees)."
                : "The image has no nvidia-smi (the NVIDIA runtime mounts it with the utility"
                    + " capability); set the experiment's `probe:` key to a command that prints"
                    + " the GPU UUIDs it sees."),
        false);
  }

  private static String truncate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }
}
