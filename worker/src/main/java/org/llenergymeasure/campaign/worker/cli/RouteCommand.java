package org.llenergymeasure.campaign.worker.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.gpu.inventory.HostInventory;
import org.llenergymeasure.campaign.activities.gpu.routing.GpuRouter;
import org.llenergymeasure.campaign.activities.gpu.routing.RoutingRequest;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.config.BusyPolicy;
import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.config.Parallelism;
import org.llenergymeasure.campaign.worker.BadInput;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.workflows.host.DeviceMapping;
import org.llenergymeasure.campaign.workflows.host.DeviceRequestSpec;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.RoutedDevice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "route",
    mixinStandardHelpOptions = true,
    description = {
      "Show how a run asking for these GPUs would be routed on this host: the devices, the"
          + " environment, the Docker DeviceRequest, what the in-run check will expect and which"
          + " container device is which host GPU. Nothing is started and no GPU is leased.",
      "",
      "Selectors: a host index (0, 1, ...), GPU-<uuid> or a unique prefix of it, MIG-<uuid>,"
          + " or <gpu>:<mig> such as 0:1; or exactly `all` or `none`."
    },
    footer = {
      "",
      "Exit codes: 0 routed; 2 the request cannot be routed (InvalidGpuSelection, MigSelection,"
          + " ParallelismMismatch, RoutingConflict, GpuBusy) or a bad flag; 3 no nvidia-smi or no"
          + " GPU on this host.",
      "",
      "Examples:",
      "  llem-campaign route --gpus 1,2 --json",
      "  llem-campaign route --gpus GPU-1b2c --attach process",
      "  llem-campaign route --count 2 --tensor 2 --busy fail",
      "  llem-campaign route --gpus 0:1 --inventory examples/inventories/a100-mig",
      "  llem-campaign route --gpus none --inventory examples/inventories/h100x4"
    })
final class RouteCommand implements Callable<Integer> {

  @Option(
      names = "--gpus",
      paramLabel = "SEL",
      split = ",",
      description = "GPU selectors, comma-separated; or `all`, or `none`.")
  List<String> gpus;

  @Option(names = "--count", paramLabel = "N", description = "Any N idle full GPUs instead.")
  Integer count;

  @Option(
      names = "--tensor",
      paramLabel = "N",
      description = "Tensor parallelism; tensor x pipeline must equal the GPUs selected.")
  Integer tensor;

  @Option(names = "--pipeline", paramLabel = "N", description = "Pipeline parallelism.")
  Integer pipeline;

  @Option(
      names = "--attach",
      paramLabel = "MODE",
      description = "device-request (default), env, cdi or process.")
  String attach = AttachMode.DEVICE_REQUEST.yamlName();

  @Option(
      names = "--busy",
      paramLabel = "POLICY",
      description = "When a selected GPU runs another process: wait (default), fail or ignore.")
  String busy = BusyPolicy.WAIT.yamlName();

  @Option(
      names = "--env",
      paramLabel = "K=V",
      description = "The run's own environment variable (repeatable); checked against the routing.")
  List<String> env = new ArrayList<>();

  @Option(names = "--privileged", description = "Ask for a privileged container (always refused).")
  boolean privileged;

  @Mixin HostReadOptions hostRead;

  @Mixin CommonOptions common;

  @Override
  public Integer call() {
    Console console = Console.system();
    RoutingRequest request =
        new RoutingRequest(
            gpuRequest(), parallelism(), attachMode(), userEnv(), busyPolicy(), privileged);
    HostInventory host = hostRead.read(common);
    GpuRouting routing;
    try {
      routing = GpuRouter.route(host, request);
    } catch (RunFailureException e) {
      console.error(common.json(), e.type(), GpuHostReader.oneLine(e.getMessage()), e.retryable());
      return ExitCodes.BAD_INPUT;
    }
    if (host.simulated() && request.attach() == AttachMode.DEVICE_REQUEST) {
      console.note(
          "note: host "
              + host.hostId()
              + " is simulated (--inventory): this shows the routing as requested, but its runs"
              + " use attach mode env, since Docker serves a DeviceRequest only with the NVIDIA"
              + " runtime");
    }
    if (common.json()) {
      console.json(toJson(routing));
    } else {
      printText(console, routing);
    }
    return ExitCodes.OK;
  }

  private GpuRequest gpuRequest() {
    if ((gpus == null) == (count == null)) {
      throw new BadInput(
          "route needs exactly one of --gpus SEL[,SEL...] (or --gpus all / --gpus none) and"
              + " --count N");
    }
    if (count != null) {
      if (count < 1) {
        throw new BadInput(
            "--count " + count + " asks for no GPU; --count is at least 1 (use --gpus none)");
      }
      return GpuRequest.count(count);
    }
    List<String> selectors = gpus.stream().map(String::strip).toList();
    if (selectors.size() == 1 && selectors.get(0).equals("all")) {
      return GpuRequest.all();
    }
    if (selectors.size() == 1 && selectors.get(0).equals("none")) {
      return GpuRequest.none();
    }
    // An empty or misspelt entry goes to the router, which says what a valid selector is.
    return GpuRequest.of(selectors.isEmpty() ? List.of("") : selectors);
  }

  private Parallelism parallelism() {
    if (tensor == null && pipeline == null) {
      return null;
    }
    int t = tensor == null ? 1 : tensor;
    int p = pipeline == null ? 1 : pipeline;
    if (t < 1 || p < 1) {
      throw new BadInput(
          "--tensor and --pipeline are at least 1 (got tensor " + t + ", pipeline " + p + ")");
    }
    return new Parallelism(t, p);
  }

  private AttachMode attachMode() {
    try {
      return AttachMode.fromYaml(attach.strip().toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadInput(
          "--attach " + attach + " is not an attach mode; use device-request, env, cdi or process");
    }
  }

  private BusyPolicy busyPolicy() {
    for (BusyPolicy p : BusyPolicy.values()) {
      if (p.yamlName().equalsIgnoreCase(busy.strip())) {
        return p;
      }
    }
    throw new BadInput("--busy " + busy + " is not a busy policy; use wait, fail or ignore");
  }

  private Map<String, String> userEnv() {
    Map<String, String> vars = new LinkedHashMap<>();
    for (String kv : env) {
      int eq = kv.indexOf('=');
      if (eq < 1) {
        throw new BadInput("--env " + kv + " is not K=V; write e.g. --env HF_HOME=/cache");
      }
      vars.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return vars;
  }

  /**
   * cli-contract.md's {@code route} object, plus {@code host}, {@code attach}, {@code simulated}.
   */
  static Map<String, Object> toJson(GpuRouting routing) {
    List<Map<String, Object>> devices = new ArrayList<>();
    for (RoutedDevice d : routing.devices()) {
      Map<String, Object> device = new LinkedHashMap<>();
      device.put("uuid", d.uuid());
      device.put("index", d.index());
      device.put("name", d.name());
      if (d.migIndex() != null) {
        device.put("migIndex", d.migIndex());
        device.put("parentUuid", d.parentUuid());
      }
      devices.add(device);
    }
    Map<String, Object> deviceRequest = null;
    DeviceRequestSpec spec = routing.deviceRequest();
    if (spec != null) {
      deviceRequest = new LinkedHashMap<>();
      deviceRequest.put("driver", spec.driver());
      deviceRequest.put("deviceIds", spec.deviceIds());
      deviceRequest.put("capabilities", spec.capabilities());
    }
    List<Map<String, Object>> mapping = new ArrayList<>();
    for (DeviceMapping m : routing.mapping()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("container", m.container());
      entry.put("uuid", m.uuid());
      entry.put("hostIndex", m.hostIndex());
      mapping.add(entry);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("host", routing.hostId());
    out.put("attach", routing.attach().yamlName());
    out.put("simulated", routing.simulated());
    out.put("devices", devices);
    out.put("env", routing.env());
    out.put("deviceRequest", deviceRequest);
    out.put("expectedDeviceCount", routing.expectedDeviceCount());
    out.put("expectedUuids", routing.expectedUuids());
    out.put("mapping", mapping);
    return out;
  }

  private static void printText(Console console, GpuRouting routing) {
    console.line(
        "host "
            + routing.hostId()
            + (routing.simulated() ? " (SIMULATED)" : "")
            + ", attach "
            + routing.attach().yamlName()
            + ": "
            + (routing.devices().isEmpty()
                ? "no GPU"
                : routing.devices().size()
                    + " device"
                    + (routing.devices().size() == 1 ? "" : "s")));
    String prefix = routing.attach() == AttachMode.PROCESS ? "process" : "container";
    for (DeviceMapping m : routing.mapping()) {
      RoutedDevice d = routing.devices().get(m.container());
      console.line(
          String.format(
              "  %s cuda:%d = host %s  %s  %s",
              prefix,
              m.container(),
              d.migIndex() == null ? "GPU " + d.index() : "MIG " + d.index() + ":" + d.migIndex(),
              m.uuid(),
              d.name()));
    }
    console.line("env:");
    routing.env().forEach((k, v) -> console.line("  " + k + "=" + v));
    DeviceRequestSpec spec = routing.deviceRequest();
    console.line(
        spec == null
            ? "Docker DeviceRequest: none"
            : "Docker DeviceRequest: driver "
                + spec.driver()
                + ", device ids "
                + String.join(",", spec.deviceIds())
                + ", capabilities "
                + spec.capabilities());
    console.line(
        "in-run check expects "
            + routing.expectedDeviceCount()
            + " device"
            + (routing.expectedDeviceCount() == 1 ? "" : "s")
            + (routing.expectedUuids().isEmpty()
                ? ""
                : ": " + String.join(", ", routing.expectedUuids())));
  }
}
