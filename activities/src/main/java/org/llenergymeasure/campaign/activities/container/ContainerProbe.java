package org.llenergymeasure.campaign.activities.container;

import com.github.dockerjava.api.exception.DockerException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.llenergymeasure.campaign.activities.WorkerShutdownException;
import org.llenergymeasure.campaign.activities.AttemptFolder;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;

/**
 * Asks a held run (see {@link ContainerLauncher}) which GPUs it sees, by exec inside it, and keeps
 * the raw answers in the attempt's {@code probe.txt}. Judging them against the routing is the
 * verifier's job, not this class's.
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
    // The run's env holds its secrets; a probe that prints them must not get them into probe.txt.
    Secrets secrets = secretsOf(request.handle());
    AttemptFolder folder = AttemptFolder.create(settings, request.run());
    StringBuilder record = new StringBuilder();
    record
        .append("# llem-campaign probe of ")
        .append(request.handle())
        .append(" (image ")
        .append(request.experiment().image())
        .append(")\n");
    if (routing.expectedDeviceCount() == 0 && routing.devices().isEmpty()) {
      ExecResult nodes = runProbe(request, DEV_NODES, record, secrets);
      folder.write("probe.txt", record.toString());
      if (nodes.exitCode() != 0) {
        throw probeFailed(request, DEV_NODES, nodes);
      }
      return new ProbeOutputs(null, null, null, null, !nodes.stdout().isBlank());
    }
    List<String> deviceCommand =
        request.experiment().probe() != null && !request.experiment().probe().isEmpty()
            ? request.experiment().probe()
            : DEFAULT_DEVICE_VIEW;
    // The CUDA view runs alongside the device view: each exec is a few Docker round trips
    // (~75 ms here), and the two read-only probes do not depend on each other. Its answer is
    // used (and recorded) only when the device view could run, as before.
    CompletableFuture<ExecResult> cudaRun =
        CompletableFuture.supplyAsync(() -> execProbe(request, CUDA_VIEW, secrets), PROBE_THREADS);
    ExecResult device = execProbe(request, deviceCommand, secrets);
    record(record, deviceCommand, device);
    ExecResult cuda = null;
    if (!cannotRun(device)) {
      cuda = join(cudaRun);
      record(record, CUDA_VIEW, cuda);
    } else {
      cudaRun.cancel(false);
    }
    // Written before judging, so a probe that could not run leaves its evidence behind.
    folder.write("probe.txt", record.toString());
    if (cannotRun(device)) {
      throw probeFailed(request, deviceCommand, device);
    }
    return new ProbeOutputs(
        device.combined(),
        device.exitCode(),
        cuda.combined(),
        cuda.exitCode(),
        false);
  }

  /** Runs one probe command and records it; an exec the engine refuses is exit -1. */
  private ExecResult runProbe(
      VerifyRequest request, List<String> command, StringBuilder record, Secrets secrets) {
    ExecResult result = execProbe(request, command, secrets);
    record(record, command, result);
    return result;
  }

  private ExecResult execProbe(VerifyRequest request, List<String> command, Secrets secrets) {
    try {
      ExecResult raw = exec.run(request.handle(), command, null, PROBE_LIMIT);
      return new ExecResult(raw.exitCode(), secrets.redact(raw.stdout()), secrets.redact(raw.stderr()));
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
    record
        .append("\n$ ")
        .append(String.join(" ", command))
        .append("\n")
        .append(result.combined());
    if (!result.combined().isEmpty() && !result.combined().endsWith("\n")) {
      record.append('\n');
    }
    record.append("[exit ").append(result.exitCode()).append("]\n");
  }

  private Secrets secretsOf(String container) {
    try {
      var c = engine.client().inspectContainerCmd(container).exec();
      return Secrets.fromContainer(c.getConfig().getLabels(), c.getConfig().getEnv());
    } catch (com.github.dockerjava.api.exception.NotFoundException e) {
      return Secrets.none();
    }
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
    boolean custom = request.experiment().probe() != null && !request.experiment().probe().isEmpty();
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
