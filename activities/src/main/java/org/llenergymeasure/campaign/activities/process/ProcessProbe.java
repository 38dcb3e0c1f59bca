package org.llenergymeasure.campaign.activities.process;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.llenergymeasure.campaign.activities.AttemptFolder;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.WorkerShutdownException;
import org.llenergymeasure.campaign.activities.container.ProbeOutputs;
import org.llenergymeasure.campaign.activities.container.Secrets;
import org.llenergymeasure.campaign.activities.gpu.GpuProbes;
import org.llenergymeasure.campaign.activities.gpu.verify.DeviceViewParser;
import org.llenergymeasure.campaign.activities.gpu.verify.ProbeOutputException;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;

/**
 * Asks what a process-mode run will see, before it is released: the CUDA view (what CUDA enumerates
 * after {@code CUDA_VISIBLE_DEVICES}, in its order) run as a separate process with exactly the
 * run's environment and working directory. {@code nvidia-smi} on the host sees every GPU whatever
 * the variables say, so there is no device view here (gpu-routing.md).
 *
 * <p>The default view is the project's ctypes probe ({@code llem/cuda_view.py}, copied into the
 * attempt folder) run by {@code python3}; {@link ProcessOptions#cudaViewCommand} replaces it on
 * hosts without real GPUs. An experiment's {@code probe:} command replaces both: it prints the
 * UUIDs it sees, one per line ({@code GPU-…}/{@code MIG-…} or {@code nvidia-smi -L} lines), in
 * CUDA's order, or the CUDA-view format itself. The raw outputs, secrets masked, go to {@code
 * probe.txt}.
 */
final class ProcessProbe {

  private final ProcessOptions options;

  ProcessProbe(ProcessOptions options) {
    this.options = options;
  }

  ProbeOutputs run(VerifyRequest request, HostSettings settings) {
    GpuRouting routing = request.routing();
    AttemptFolder folder = AttemptFolder.create(settings, request.run());
    ProcessRecord record =
        ProcessRecord.read(folder)
            .orElseThrow(
                () ->
                    new RunFailureException(
                        FailureTypes.PROBE_FAILED,
                        "no process was launched for "
                            + request.handle()
                            + ", so there is nothing to probe",
                        false));
    Secrets secrets =
        ProcessEnv.forMasking(request.experiment(), settings.workerEnv(), settings.hostId());
    StringBuilder report =
        new StringBuilder("# llem-campaign probe of " + request.handle() + " (process mode)\n");
    if (routing.noGpu()) {
      report.append(
          "gpus: none: CUDA_VISIBLE_DEVICES is empty, so CUDA sees no device; nothing to probe\n");
      folder.write(ProcessFiles.PROBE, report.toString());
      return new ProbeOutputs(null, null, null, null, false);
    }
    boolean custom =
        request.experiment().probe() != null && !request.experiment().probe().isEmpty();
    List<String> command = custom ? request.experiment().probe() : defaultView(folder);
    // A custom probe is the campaign's command and runs as the run's user; the default view is the
    // worker's own script (in the worker's folder) and runs as the worker.
    ProcessUser user =
        custom && request.experiment().user() != null
            ? ProcessUser.resolve(request.experiment(), settings.hostId())
            : null;
    Map<String, String> env =
        ProcessEnv.build(
            settings.workerEnv(),
            request.experiment(),
            routing,
            folder.runFilesDir(),
            record.token(),
            user);
    if (user != null) {
      List<String> asUser = new java.util.ArrayList<>(user.prefix());
      asUser.addAll(command);
      command = asUser;
    }
    Result r = execute(command, env, folder.runFilesDir());
    Result shown = new Result(r.exit(), secrets.redact(r.stdout()), secrets.redact(r.stderr()));
    report.append("\n$ ").append(String.join(" ", command)).append('\n').append(shown.stdout());
    if (!shown.stderr().isEmpty()) {
      report
          .append(shown.stdout().isEmpty() || shown.stdout().endsWith("\n") ? "" : "\n")
          .append(shown.stderr());
    }
    if (!report.toString().endsWith("\n")) {
      report.append('\n');
    }
    report.append("[exit ").append(r.exit()).append("]\n");
    folder.write(ProcessFiles.PROBE, report.toString());
    if (r.exit() != 0) {
      throw probeFailed(request, command, shown, custom);
    }
    String cudaView;
    try {
      cudaView = custom ? asCudaView(shown.stdout()) : shown.stdout();
    } catch (ProbeOutputException e) {
      throw new RunFailureException(
          FailureTypes.PROBE_FAILED,
          "the experiment's `probe:` command `"
              + String.join(" ", command)
              + "` printed something"
              + " that is not a GPU list ("
              + e.getMessage()
              + "); it must print the GPU UUIDs it"
              + " sees, one per line, in CUDA's order",
          false);
    }
    return new ProbeOutputs(null, null, cudaView, r.exit(), false);
  }

  /**
   * A probe's UUID list as the CUDA-view format the verifier reads; output already in that format
   * is taken as it is.
   */
  static String asCudaView(String output) {
    if (output.lines().anyMatch(l -> l.strip().startsWith("cuInit:"))) {
      return output;
    }
    List<String> uuids = DeviceViewParser.parse(output);
    StringBuilder out =
        new StringBuilder(
            "# from the experiment's probe\ncuInit: 0\ncount: " + uuids.size() + "\n");
    for (int i = 0; i < uuids.size(); i++) {
      out.append(i).append(": ").append(uuids.get(i)).append('\n');
    }
    return out.toString();
  }

  private List<String> defaultView(AttemptFolder folder) {
    if (options.cudaViewCommand() != null) {
      return options.cudaViewCommand();
    }
    folder.write(ProcessFiles.CUDA_VIEW, GpuProbes.cudaViewScript());
    return List.of("python3", folder.resolve(ProcessFiles.CUDA_VIEW).toString());
  }

  record Result(int exit, String stdout, String stderr) {}

  /** Runs a probe to its end (or the probe limit); exit 127 when it cannot start at all. */
  private Result execute(List<String> command, Map<String, String> env, Path dir) {
    Path out = null;
    Path err = null;
    Process p = null;
    try {
      out = Files.createTempFile(dir, ".probe-out", ".tmp");
      err = Files.createTempFile(dir, ".probe-err", ".tmp");
      // Through sh, so the command is looked up on the run's PATH (not the worker's), as the
      // run's own command is; a missing one exits 127.
      List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", "exec \"$@\"", "llem-probe"));
      argv.addAll(command);
      ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile());
      builder.environment().clear();
      builder.environment().putAll(env);
      builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.redirectOutput(out.toFile()).redirectError(err.toFile());
      try {
        p = builder.start();
      } catch (IOException e) {
        return new Result(127, "", "cannot run /bin/sh: " + e.getMessage());
      }
      if (!p.waitFor(options.probeLimit().toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        return new Result(
            124, read(out), read(err) + "\n(timed out after " + options.probeLimit() + ")");
      }
      return new Result(p.exitValue(), read(out), read(err));
    } catch (InterruptedException e) {
      if (p != null) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
      Thread.currentThread().interrupt();
      throw new WorkerShutdownException("interrupted while probing in " + dir, e);
    } catch (IOException e) {
      throw new RunFailureException(
          FailureTypes.RESULTS_UNWRITABLE,
          "cannot write the probe's output in " + dir + ": " + e.getMessage(),
          false,
          e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static String read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    return new String(bytes, 0, Math.min(bytes.length, 1 << 20), StandardCharsets.UTF_8);
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // A leftover temporary file.
      }
    }
  }

  private static RunFailureException probeFailed(
      VerifyRequest request, List<String> command, Result r, boolean custom) {
    String why;
    if (custom) {
      why =
          "Fix the experiment's `probe:` command (it must print the GPU UUIDs it sees, one per line).";
    } else if (r.exit() == 127 && command.get(0).equals("python3")) {
      why =
          "The host has no python3 for the CUDA view; install it, or set the experiment's `probe:`"
              + " key to a command that prints the GPU UUIDs the run sees.";
    } else if (r.exit() == GpuProbes.CUDA_VIEW_NO_LIBCUDA) {
      why =
          "The CUDA driver library libcuda.so.1 cannot be loaded on this host (no NVIDIA driver,"
              + " or a simulated inventory without a simulated CUDA view); set the experiment's `probe:`"
              + " key to a command that prints the GPU UUIDs the run sees.";
    } else {
      why =
          "Set the experiment's `probe:` key to a command that prints the GPU UUIDs the run sees.";
    }
    String output = (r.stdout() + r.stderr()).strip();
    return new RunFailureException(
        FailureTypes.PROBE_FAILED,
        "the GPU probe `"
            + String.join(" ", command)
            + "` of process-mode run "
            + request.run().runId()
            + " could not run (exit "
            + r.exit()
            + ": "
            + (output.length() > 300 ? output.substring(0, 300) + "..." : output)
            + "). "
            + why,
        false);
  }
}
