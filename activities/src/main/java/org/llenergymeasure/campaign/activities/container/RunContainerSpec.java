package org.llenergymeasure.campaign.activities.container;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.Mount;
import org.llenergymeasure.campaign.workflows.host.DeviceRequestSpec;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;

/**
 * How a run's container is configured, worked out from the experiment, the routing and the image:
 * entrypoint and command (wrapped by {@code hold.sh}), environment, mounts and limits. No I/O.
 */
final class RunContainerSpec {

  /** Where a simulated host's inventory appears inside the run (read by the simulated runtime). */
  static final String SIM_INVENTORY_TARGET = "/llem-sim/inventory";

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
   * The run's environment: the experiment's variables, then the routing's (the router already
   * refused user values that contradict it, so the routing simply wins), then the secrets.
   */
  static List<String> env(Experiment experiment, GpuRouting routing, Secrets secrets) {
    Map<String, String> env = new LinkedHashMap<>(experiment.env());
    env.putAll(routing.env());
    List<String> out = new ArrayList<>();
    env.forEach((k, v) -> out.add(k + "=" + v));
    out.addAll(secrets.envEntries());
    return out;
  }

  /**
   * @param controlDir the host folder with the hold files ({@link HoldFiles#writeTo}), mounted
   *     read-only at {@code /.llem}
   */
  static HostConfig hostConfig(
      Experiment experiment,
      GpuRouting routing,
      Path attemptDir,
      Path inventoryDir,
      Path controlDir) {
    List<Bind> binds = new ArrayList<>();
    binds.add(new Bind(controlDir.toString(), new Volume(HoldFiles.DIR), AccessMode.ro));
    for (Mount m : experiment.mounts()) {
      binds.add(
          new Bind(
              m.source(), new Volume(m.target()), m.readOnly() ? AccessMode.ro : AccessMode.rw));
    }
    binds.add(new Bind(attemptDir.toString(), new Volume(experiment.resultsDir()), AccessMode.rw));
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
}
