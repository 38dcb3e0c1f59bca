package org.llenergymeasure.campaign.worker.drills;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;

/** What the drills share: real worker processes, and the checks every drill makes. */
final class DrillKit {

  private DrillKit() {}

  static Path jar() {
    String jar = System.getProperty("llem.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new AssertionError(
          "the built CLI jar is missing (" + jar + "); run the drills with `verify`");
    }
    return Path.of(jar);
  }

  /** A worker process of the built CLI, the way an operator starts one. */
  static Process worker(
      String address,
      String hostId,
      Path inventory,
      Path results,
      Path home,
      Map<String, String> env,
      Path log)
      throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb =
        new ProcessBuilder(
            java.toString(),
            "-jar",
            jar().toString(),
            "worker",
            "--host-id",
            hostId,
            "--inventory",
            inventory.toString(),
            "--temporal",
            address,
            "--results",
            results.toString());
    pb.environment().remove("TEMPORAL_ADDRESS");
    pb.environment().put("LLEM_HOME", home.toString());
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return pb.start();
  }

  /** kill -9 (Process.destroyForcibly is SIGKILL on Linux). */
  static void kill9(Process p) throws InterruptedException {
    p.destroyForcibly();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("process " + p.pid() + " survived SIGKILL");
    }
  }

  static void stop(Process p) throws InterruptedException {
    if (p == null || !p.isAlive()) {
      return;
    }
    p.destroy();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /**
   * The activity types (Route, Launch, ...) that a worker is executing right now for a workflow.
   */
  static Set<String> startedActivities(WorkflowClient client, String workflowId) {
    try {
      List<PendingActivityInfo> pending =
          client
              .getWorkflowServiceStubs()
              .blockingStub()
              .describeWorkflowExecution(
                  DescribeWorkflowExecutionRequest.newBuilder()
                      .setNamespace(client.getOptions().getNamespace())
                      .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                      .build())
              .getPendingActivitiesList();
      Set<String> started = new HashSet<>();
      for (PendingActivityInfo a : pending) {
        if (a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED) {
          started.add(a.getActivityType().getName());
        }
      }
      return started;
    } catch (RuntimeException notThereYet) {
      return Set.of();
    }
  }

  /** The whole event history of a workflow as JSON (the latest run of its id). */
  static String historyJson(WorkflowClient client, String workflowId) {
    return client.fetchHistory(workflowId).toJson(true);
  }

  /** Files under the roots whose bytes contain the secret value. */
  static List<Path> filesContaining(String secret, List<Path> roots) throws IOException {
    byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
    List<Path> hits = new ArrayList<>();
    for (Path root : roots) {
      if (!Files.exists(root)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          if (contains(f, needle)) {
            hits.add(f);
          }
        }
      }
    }
    return hits;
  }

  private static boolean contains(Path file, byte[] needle) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(64 * 1024 * 1024);
      return indexOf(bytes, needle) >= 0;
    } catch (IOException unreadable) {
      return false; // a socket or a file removed meanwhile
    }
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static int occurrences(String text, String secret) {
    int n = 0;
    for (int i = text.indexOf(secret); i >= 0; i = text.indexOf(secret, i + 1)) {
      n++;
    }
    return n;
  }

  /** Planned runs with no ledger line at all. */
  static int runsLost(List<String> planned, List<LedgerEntry> ledger) {
    Set<String> recorded = new HashSet<>();
    ledger.forEach(e -> recorded.add(e.runId()));
    return (int) planned.stream().filter(r -> !recorded.contains(r)).count();
  }

  /** Ledger lines beyond the first for one run attempt (run id + attempt). */
  static int recordedTwice(List<LedgerEntry> ledger) {
    Map<String, Integer> seen = new HashMap<>();
    ledger.forEach(e -> seen.merge(e.runId() + "#" + e.attempt(), 1, Integer::sum));
    return seen.values().stream().mapToInt(n -> n - 1).sum();
  }

  /**
   * What is wrong, security-wise, with the live containers of a campaign: privileged, the host's
   * PID namespace, the Docker socket mounted, or a results mount other than the run attempt's own
   * folder.
   */
  static List<String> containerProblems(DockerClient docker, String campaign, Path results) {
    List<String> problems = new ArrayList<>();
    for (Container c :
        docker
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(List.of("llem.campaign=" + campaign))
            .exec()) {
      InspectContainerResponse info;
      try {
        info = docker.inspectContainerCmd(c.getId()).exec();
      } catch (com.github.dockerjava.api.exception.NotFoundException gone) {
        continue;
      }
      String name = info.getName();
      var host = info.getHostConfig();
      if (Boolean.TRUE.equals(host.getPrivileged())) {
        problems.add(name + " is privileged");
      }
      if (host.getPidMode() != null && host.getPidMode().equals("host")) {
        problems.add(name + " shares the host's PID namespace");
      }
      Map<String, String> labels = info.getConfig().getLabels();
      Path own =
          results
              .resolve(campaign)
              .resolve(labels.get("llem.run"))
              .resolve("a" + labels.get("llem.attempt"));
      // Read-only binds (the simulated inventory, mounts the campaign declares read-only) are
      // allowed; the writable binds must be the attempt's own run folder (at resultsDir and
      // /run/llem).
      if (host.getBinds() != null) {
        for (Bind b : host.getBinds()) {
          String s = b.getPath();
          if (s.contains("docker.sock")) {
            problems.add(name + " mounts the Docker socket " + s);
          } else if (b.getAccessMode() != AccessMode.ro
              && !Path.of(s).normalize().equals(own.resolve("out").toAbsolutePath().normalize())) {
            problems.add(
                name + " mounts " + s + " writable, not only its run folder " + own.resolve("out"));
          }
        }
      }
    }
    return problems;
  }

  /** TCP listening addresses of a process that are not loopback (ss -ltnp). */
  static List<String> publicListeners(long pid) throws IOException, InterruptedException {
    Process ss = new ProcessBuilder("ss", "-ltnpH").redirectErrorStream(true).start();
    String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    ss.waitFor(10, TimeUnit.SECONDS);
    List<String> bad = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.contains("pid=" + pid + ",")) {
        continue;
      }
      String[] cols = line.trim().split("\\s+");
      String local = cols.length > 3 ? cols[3] : line;
      if (!local.startsWith("127.0.0.1:")
          && !local.startsWith("[::1]:")
          && !local.startsWith("[::ffff:127.0.0.1]:")) {
        bad.add(local);
      }
    }
    return bad;
  }

  static Optional<String> readIfExists(Path p) throws IOException {
    return Files.exists(p) ? Optional.of(Files.readString(p)) : Optional.empty();
  }
}
