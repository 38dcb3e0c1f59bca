package org.llenergymeasure.campaign.activities.container;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.upstream.UpstreamContract;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.Mount;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.DeviceRequestSpec;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;

/**
 * How a run's container is configured, worked out from the experiment, the routing and the image:
 * entrypoint and command (wrapped by {@code hold.sh}), environment, mounts and limits. No I/O.
 */
final class RunContainerSpec {

  /** Where a simulated host's inventory appears inside the run (read by the simulated runtime). */
  static final String SIM_INVENTORY_TARGET = "/llem-sim/inventory";

  /** llenergymeasure's exchange folder: the run folder is mounted here too. */
  static final String EXCHANGE_DIR = "/run/llem";

  private RunContainerSpec() {}

  /** What the run really executes: the experiment's command, else the image's Entrypoint + Cmd. */
  static List<String> originalCommand(
      Experiment experiment, String[] imageEntrypoint, String[] imageCmd) {
    if (experiment.command() != null && !experiment.command().isEmpty()) {
      return experiment.command();
    }
    List<String> argv = new ArrayList<>();
    if (imageEntrypoint != null) {
      argv.addAll(Arrays.asList(imageEntrypoint));
    }
    if (imageCmd != null) {
      argv.addAll(Arrays.asList(imageCmd));
    }
    return argv;
  }

  /** The arguments after the {@code /bin/sh} entrypoint: the hold script, then the real command. */
  static List<String> heldCommand(List<String> original) {
    List<String> argv = new ArrayList<>();
    argv.add(HoldFiles.HOLD);
    argv.addAll(original);
    return argv;
  }

  /**
   * The run's environment: the experiment's variables, then for an experiment of llenergymeasure
   * {@code LLEM_CONFIG_PATH} and {@code LLEM_OUTPUT_DIR} in {@link #EXCHANGE_DIR}, then the
   * routing's (the router already refused user values that contradict it, so the routing simply
   * wins), then the secrets.
   */
  static List<String> env(Experiment experiment, GpuRouting routing, Secrets secrets) {
    Map<String, String> env = new LinkedHashMap<>(experiment.env());
    if (experiment.llenergymeasure() != null) {
      env.putAll(UpstreamContract.env(EXCHANGE_DIR));
    }
    env.putAll(routing.env());
    List<String> out = new ArrayList<>();
    env.forEach((k, v) -> out.add(k + "=" + v));
    out.addAll(secrets.envEntries());
    return out;
  }

  /**
   * @param runDir the attempt's run folder ({@code out/}), the only folder the run can write:
   *     mounted at the experiment's {@code resultsDir} and at {@link #EXCHANGE_DIR}
   * @param controlDir the host folder with the hold files ({@link HoldFiles#writeTo}), mounted
   *     read-only at {@code /.llem}
   */
  static HostConfig hostConfig(
      Experiment experiment, GpuRouting routing, Path runDir, Path inventoryDir, Path controlDir) {
    List<Bind> binds = new ArrayList<>();
    binds.add(new Bind(controlDir.toString(), new Volume(HoldFiles.DIR), AccessMode.ro));
    for (Mount m : experiment.mounts()) {
      binds.add(
          new Bind(
              m.source(), new Volume(m.target()), m.readOnly() ? AccessMode.ro : AccessMode.rw));
    }
    binds.add(new Bind(runDir.toString(), new Volume(experiment.resultsDir()), AccessMode.rw));
    if (!EXCHANGE_DIR.equals(experiment.resultsDir())) {
      binds.add(new Bind(runDir.toString(), new Volume(EXCHANGE_DIR), AccessMode.rw));
    }
    if (routing.simulated() && inventoryDir != null) {
      binds.add(
          new Bind(
              inventoryDir.toAbsolutePath().toString(),
              new Volume(SIM_INVENTORY_TARGET),
              AccessMode.ro));
    }
    HostConfig host =
        HostConfig.newHostConfig()
            // Privileged containers see every GPU, whatever the routing says.
            .withPrivileged(false)
            .withNetworkMode(experiment.network() == null ? "bridge" : experiment.network())
            .withBinds(binds);
    if (experiment.shmSize() != null) {
      host.withShmSize(experiment.shmSize());
    }
    if (experiment.ipc() != null) {
      host.withIpcMode(experiment.ipc());
    }
    if (experiment.memory() != null) {
      // Swap equal to the limit: going over it is an OOM kill, not a slow crawl through swap.
      host.withMemory(experiment.memory()).withMemorySwap(experiment.memory());
    }
    DeviceRequestSpec spec = routing.deviceRequest();
    if (spec != null) {
      // Explicit device ids, never a Count (Count=N means GPUs 0..N-1, not the routed ones).
      host.withDeviceRequests(
          List.of(
              new DeviceRequest()
                  .withDriver(spec.driver())
                  .withDeviceIds(spec.deviceIds())
                  .withCapabilities(spec.capabilities())));
    }
    return host;
  }

  /** The kernel's limit on one argument or environment entry ({@code MAX_ARG_STRLEN}). */
  static final int MAX_ARG_BYTES = 128 * 1024;

  /** What a process may get as arguments and environment together on a default 8 MiB stack. */
  static final int MAX_ARGV_ENV_BYTES = 2 * 1024 * 1024;

  /**
   * Refuses, before anything is created, mounts that would let the run write the worker's own
   * state: the results root (a run that can write the ledger can forge results, and every other
   * run's folder), a folder inside it or one that contains it, and {@code LLEM_HOME} (leases,
   * quarantine). {@code allowDangerousMounts} does not lift this.
   */
  static void checkMounts(Experiment experiment, HostSettings settings) {
    for (Mount m : experiment.mounts()) {
      Path source = Path.of(m.source());
      checkMount(m, source, settings.resultsRoot(), "the worker's results folder (--results)");
      if (settings.llemHome() != null) {
        checkMount(m, source, settings.llemHome(), "the worker's state folder (LLEM_HOME)");
      }
    }
  }

  private static void checkMount(Mount m, Path source, Path protectedDir, String what) {
    for (Path s : forms(source)) {
      for (Path p : forms(protectedDir)) {
        if (s.startsWith(p) || p.startsWith(s)) {
          throw new RunFailureException(
              FailureTypes.LAUNCH_FAILED,
              "the experiment mounts "
                  + m.source()
                  + " at "
                  + m.target()
                  + ", which "
                  + (s.equals(p) ? "is" : s.startsWith(p) ? "is inside" : "contains")
                  + " "
                  + what
                  + " "
                  + protectedDir
                  + ": a run that can write there can forge results or the worker's records."
                  + " Mount a folder outside it (allowDangerousMounts does not allow this one).",
              false);
        }
      }
    }
  }

  /** The path as written (absolute, normalised) and, when it exists, with its links resolved. */
  private static List<Path> forms(Path path) {
    Path plain = path.toAbsolutePath().normalize();
    try {
      Path real = plain.toRealPath();
      return real.equals(plain) ? List.of(plain) : List.of(plain, real);
    } catch (IOException | SecurityException e) {
      return List.of(plain);
    }
  }

  /**
   * Refuses a command or environment the kernel cannot start: a NUL byte cuts an argument short
   * (the engine's exec fails with "invalid argument"), an argument over {@link #MAX_ARG_BYTES} or
   * more than {@link #MAX_ARGV_ENV_BYTES} in all fails with "argument list too long". The engine
   * accepts such a container and it dies at once, which would pass for a failed probe or a run that
   * exited non-zero.
   */
  static void checkStartable(List<String> argv, List<String> env) {
    long total = 0;
    for (List<String> list : List.of(argv, env)) {
      boolean isArgv = list == argv;
      for (int i = 0; i < list.size(); i++) {
        String entry = list.get(i);
        String which = isArgv ? "argument " + i + " of the command" : "an environment variable";
        if (entry.indexOf('\0') >= 0) {
          throw cannotStart(which + " holds a NUL byte, which no process can receive");
        }
        int bytes = entry.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
        if (bytes > MAX_ARG_BYTES) {
          throw cannotStart(
              which + " is " + bytes + " bytes long; the kernel takes at most " + MAX_ARG_BYTES);
        }
        // Each string also costs its pointer.
        total += bytes + 8;
      }
    }
    if (total > MAX_ARGV_ENV_BYTES) {
      throw cannotStart(
          "the command and environment take "
              + total
              + " bytes; the kernel starts a process with at most "
              + MAX_ARGV_ENV_BYTES
              + " (argument list too long)");
    }
  }

  private static RunFailureException cannotStart(String why) {
    return new RunFailureException(
        FailureTypes.LAUNCH_FAILED,
        "the run's command cannot be started: "
            + why
            + ". Shorten the experiment's command (pass large inputs in a mounted file).",
        false);
  }
}
