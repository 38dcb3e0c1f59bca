package org.llenergymeasure.campaign.activities.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.gpu.inventory.FileInventorySource;
import org.llenergymeasure.campaign.activities.gpu.routing.GpuRouter;
import org.llenergymeasure.campaign.activities.gpu.routing.RoutingRequest;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.config.BusyPolicy;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.RunRef;

/**
 * One process-mode test's world: a results root in a temp folder, the simulated 4-GPU host of
 * examples/inventories/sim-4gpu-idle, the real router, and a CUDA view that is the test image's
 * simulated runtime (awk scripts under images/llem-probe) run on this host: it applies
 * CUDA_VISIBLE_DEVICES to the inventory on its own, so a wrong environment shows as a mismatch.
 */
final class ProcessRunFixture {

  static final String HOST = "proc-host";
  static final Path REPO = DockerExtension.repoRoot();
  static final Path INVENTORY = REPO.resolve("examples/inventories/sim-4gpu-idle");
  private static final Path SIM = REPO.resolve("images/llem-probe/rootfs/usr/lib/llem-sim");

  final Path root;
  final Map<String, String> workerEnv;
  final HostSettings settings;
  final String campaign = "pc" + Long.toHexString(System.nanoTime());

  ProcessRunFixture(Path tmp) {
    this(tmp, Map.of());
  }

  ProcessRunFixture(Path tmp, Map<String, String> extraWorkerEnv) {
    root = tmp.resolve("results");
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(extraWorkerEnv);
    workerEnv = Map.copyOf(env);
    settings = new HostSettings(HOST, root, INVENTORY, workerEnv, null);
  }

  /** The simulated CUDA view: the host shows every GPU (NVIDIA_VISIBLE_DEVICES=all). */
  static List<String> simulatedCudaView() {
    return List.of(
        "env",
        "NVIDIA_VISIBLE_DEVICES=all",
        "LLEM_SIM_INVENTORY=" + INVENTORY,
        "awk",
        "-f",
        SIM.resolve("resolve.awk").toString(),
        "-f",
        SIM.resolve("cuda-view.awk").toString(),
        "--");
  }

  static ProcessOptions options() {
    return ProcessOptions.defaults()
        .withCudaView(simulatedCudaView())
        .withPollInterval(Duration.ofMillis(100));
  }

  ProcessRunBackend processes() {
    return new ProcessRunBackend(workerEnv, options());
  }

  /** A mutable experiment with short watchdogs. */
  static final class Exp {
    List<String> command = List.of("sh", "-c", "echo hello");
    List<String> gpus = List.of("1", "2");
    Map<String, String> env = new LinkedHashMap<>();
    List<String> secrets = new ArrayList<>();
    Duration timeout = Duration.ofSeconds(30);
    Duration silence = Duration.ofSeconds(30);
    List<String> probe;
    Long logLimit;
    String user;

    Exp shell(String script) {
      command = List.of("sh", "-c", script);
      return this;
    }

    Experiment build() {
      return new Experiment(
          "exp",
          "unused:image",
          command,
          GpuRequest.of(gpus),
          null,
          env,
          secrets,
          List.of(),
          "/results",
          "result.json",
          null,
          null,
          timeout,
          silence,
          0,
          null,
          null,
          BusyPolicy.IGNORE,
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

  /** The real router's answer for the experiment on the simulated host, attach process. */
  static GpuRouting route(Experiment e) {
    return GpuRouter.route(
        new FileInventorySource(INVENTORY, HOST).read(),
        new RoutingRequest(
            e.gpus(), e.parallelism(), AttachMode.PROCESS, e.env(), e.busy(), false));
  }

  LaunchRequest launchRequest(String runId, Exp exp) {
    Experiment e = exp.build();
    return new LaunchRequest(run(runId, 1), e, route(e));
  }

  Path attemptDir(String runId) {
    return root.resolve(campaign).resolve(runId).resolve("a1");
  }

  /** Host index to UUID, read from the inventory file directly (not through product code). */
  static Map<Integer, String> uuids() throws IOException {
    Map<Integer, String> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(INVENTORY.resolve("query-gpu.csv"))) {
      if (!line.isBlank()) {
        String[] f = line.split(",");
        out.put(Integer.parseInt(f[0].trim()), f[1].trim());
      }
    }
    return out;
  }

  /** The pid recorded by launch, read from process.json with a plain regex. */
  static long recordedPid(Path attemptDir) throws IOException {
    String json = Files.readString(attemptDir.resolve("process.json"));
    var m = java.util.regex.Pattern.compile("\"pid\"\\s*:\\s*(\\d+)").matcher(json);
    if (!m.find()) {
      throw new AssertionError("no pid in " + json);
    }
    return Long.parseLong(m.group(1));
  }

  static String recordedToken(Path attemptDir) throws IOException {
    String json = Files.readString(attemptDir.resolve("process.json"));
    var m = java.util.regex.Pattern.compile("\"token\"\\s*:\\s*\"([0-9a-f]+)\"").matcher(json);
    if (!m.find()) {
      throw new AssertionError("no token in " + json);
    }
    return m.group(1);
  }

  /**
   * Processes (not zombies) in the session {@code sid} or carrying {@code LLEM_RUN_TOKEN=token},
   * found by scanning /proc directly.
   */
  static List<Long> processesOf(long sid, String token) throws IOException {
    List<Long> found = new ArrayList<>();
    byte[] want = ("LLEM_RUN_TOKEN=" + token).getBytes(StandardCharsets.UTF_8);
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path d : dirs) {
        try {
          String stat = Files.readString(d.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          if (f[0].equals("Z")) {
            continue;
          }
          boolean inSession = Long.parseLong(f[3]) == sid;
          String environ =
              new String(Files.readAllBytes(d.resolve("environ")), StandardCharsets.UTF_8);
          boolean hasToken =
              ("\0" + environ).contains("\0" + new String(want, StandardCharsets.UTF_8) + "\0");
          if (inSession || hasToken) {
            found.add(Long.parseLong(d.getFileName().toString()));
          }
        } catch (IOException | RuntimeException e) {
          // Ended while we looked, or not ours to read.
        }
      }
    }
    return found;
  }

  static void assertNothingLeft(Path attemptDir) throws Exception {
    long pid = recordedPid(attemptDir);
    String token = recordedToken(attemptDir);
    // Killed processes may take a moment to be reaped into nothing.
    List<Long> left = processesOf(pid, token);
    for (int i = 0; i < 50 && !left.isEmpty(); i++) {
      Thread.sleep(20);
      left = processesOf(pid, token);
    }
    assertEquals(List.of(), left, "processes of the run left behind");
  }

  static void waitFor(Path file, Duration limit) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (!Files.exists(file)) {
      if (System.nanoTime() > end) {
        throw new AssertionError(file + " did not appear within " + limit);
      }
      Thread.sleep(20);
    }
  }

  static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return false;
    }
  }
}
