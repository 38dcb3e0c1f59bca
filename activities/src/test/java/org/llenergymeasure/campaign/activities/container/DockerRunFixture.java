package org.llenergymeasure.campaign.activities.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.config.BusyPolicy;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.config.Mount;
import org.llenergymeasure.campaign.workflows.host.DeviceMapping;
import org.llenergymeasure.campaign.workflows.host.DeviceRequestSpec;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.RoutedDevice;
import org.llenergymeasure.campaign.workflows.host.RunRef;

/**
 * One test's world: a campaign name of its own (so containers of parallel or earlier tests never
 * mix), a results root in a temp folder, and helpers to make experiments and routings. {@link
 * #close} removes every container of the campaign and checks that none remain.
 */
final class DockerRunFixture implements AutoCloseable {

  static final String HOST = "test-host";
  static final String UUID = "GPU-1b2c3d4e-2222-4f60-9bac-111111111111";

  final DockerEngine engine = DockerEngine.fromEnvironment();
  final String campaign = "t" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  final Path root;
  final HostSettings settings;

  DockerRunFixture(Path tmp) {
    this(tmp, Map.of(), null);
  }

  DockerRunFixture(Path tmp, Map<String, String> workerEnv, Path inventory) {
    TestImage.ensure();
    this.root = tmp.resolve("results");
    this.settings = new HostSettings(HOST, root, inventory, workerEnv, null);
  }

  /** A mutable experiment for tests, with the format's defaults and short watchdogs. */
  static final class Exp {
    String name = "exp";
    String image = TestImage.NAME;
    List<String> command = List.of("sh", "-c", "echo hello");
    Map<String, String> env = new HashMap<>();
    List<String> secrets = new ArrayList<>();
    List<Mount> mounts = new ArrayList<>();
    String resultsDir = "/results";
    String resultFile = "result.json";
    Long memory;
    Duration timeout = Duration.ofSeconds(30);
    Duration silence = Duration.ofSeconds(30);
    List<String> probe;
    String network = "none";
    Long logLimit;
    String user;

    Exp command(String shell) {
      command = List.of("sh", "-c", shell);
      return this;
    }

    Experiment build() {
      return new Experiment(
          name,
          image,
          command,
          GpuRequest.of(List.of("0")),
          null,
          env,
          secrets,
          mounts,
          resultsDir,
          resultFile,
          null,
          "private",
          timeout,
          silence,
          0,
          memory,
          network,
          BusyPolicy.WAIT,
          probe,
          null,
          Map.of(),
          0,
          null,
          false,
          null,
          logLimit,
          user);
    }
  }

  RunRef run(String runId, int attempt) {
    return new RunRef(campaign, runId, "exp", 1, attempt);
  }

  /** A simulated one-GPU routing attached by environment only (what CPU-only hosts use). */
  static GpuRouting envRouting() {
    return new GpuRouting(
        HOST,
        AttachMode.ENV,
        List.of(new RoutedDevice(UUID, 1, "NVIDIA H100 80GB HBM3", null, null)),
        Map.of(
            "NVIDIA_VISIBLE_DEVICES", UUID,
            "CUDA_VISIBLE_DEVICES", "0",
            "CUDA_DEVICE_ORDER", "PCI_BUS_ID",
            "NVIDIA_DRIVER_CAPABILITIES", "compute,utility"),
        null,
        1,
        List.of(UUID),
        List.of(new DeviceMapping(0, UUID, 1)),
        true);
  }

  /** The same GPU through a Docker DeviceRequest (needs the NVIDIA runtime). */
  static GpuRouting deviceRequestRouting() {
    GpuRouting env = envRouting();
    return new GpuRouting(
        HOST,
        AttachMode.DEVICE_REQUEST,
        env.devices(),
        env.env(),
        new DeviceRequestSpec("nvidia", List.of(UUID), List.of(List.of("gpu"))),
        1,
        env.expectedUuids(),
        env.mapping(),
        false);
  }

  /** {@code gpus: none}. */
  static GpuRouting noGpuRouting() {
    return new GpuRouting(
        HOST,
        AttachMode.ENV,
        List.of(),
        Map.of("NVIDIA_VISIBLE_DEVICES", "void"),
        null,
        0,
        List.of(),
        List.of(),
        true);
  }

  LaunchRequest launchRequest(String runId, int attempt, Exp exp) {
    return new LaunchRequest(run(runId, attempt), exp.build(), envRouting());
  }

  Optional<InspectContainerResponse> inspect(String name) {
    try {
      return Optional.of(engine.client().inspectContainerCmd(name).exec());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  List<Container> containers() {
    return engine
        .client()
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(List.of(ContainerLabels.CAMPAIGN + "=" + campaign))
        .exec();
  }

  /** Waits until the container has exited (test helper; the product code never blocks so). */
  void waitExited(String name, Duration limit) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < end) {
      if (!Boolean.TRUE.equals(inspect(name).orElseThrow().getState().getRunning())) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(name + " still running after " + limit);
  }

  /** Every file under the results root, as text. */
  Map<Path, String> filesWritten() throws IOException {
    Map<Path, String> out = new HashMap<>();
    if (!Files.exists(root)) {
      return out;
    }
    try (var walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        out.put(p, Files.readString(p));
      }
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    for (Container c : containers()) {
      try {
        engine.client().removeContainerCmd(c.getId()).withForce(true).exec();
      } catch (NotFoundException e) {
        // gone
      }
    }
    assertEquals(List.of(), containers(), "containers of campaign " + campaign + " remain");
    engine.close();
  }
}
