package org.llenergymeasure.campaign.worker.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.ledger.RunLedger;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.worker.campaign.CampaignStarter;
import org.llenergymeasure.campaign.worker.drills.PoolChecks.Request;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.CampaignStatus;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflow;

/**
 * Drill 10, scale: a pool of three hosts (three worker processes of the built CLI with the captured
 * inventories 4×H100, A100 with MIG, 8×T4) runs a 60-run {@code hosts: any} campaign of {@code
 * gpus: {count, model}} requests, several runs in flight across the hosts. Meanwhile one experiment
 * is added with {@code amend --yes}, the H100 host's worker is killed with kill -9 and started
 * again, and the A100 host is drained. Every planned run (the added experiment's too) is recorded
 * once and completed, each on GPUs of its host that fit its request, no GPU held by two runs at
 * once, nothing routed on the drained host after the drain, nothing left running.
 */
@ExtendWith(DockerExtension.class)
class PoolIT {

  private static final String CAMPAIGN = "drill-pool";
  private static final int CYCLES = 3;

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  /** The experiments in plan order (grouped): the A100 ones first, so the drain strands none. */
  private static final Map<String, Request> EXPERIMENTS = new LinkedHashMap<>();

  static {
    EXPERIMENTS.put("a100-one", new Request(1, "*A100*"));
    EXPERIMENTS.put("h100-two", new Request(2, "*H100*"));
    EXPERIMENTS.put("t4-four", new Request(4, "Tesla T4"));
    EXPERIMENTS.put("h100-one", new Request(1, "NVIDIA H100*"));
    EXPERIMENTS.put("t4-one", new Request(1, "*t4"));
    EXPERIMENTS.put("any-one-a", new Request(1, null));
    EXPERIMENTS.put("h100-three", new Request(3, "*H100 80GB*"));
    EXPERIMENTS.put("t4-two", new Request(2, "*T4*"));
    EXPERIMENTS.put("any-two-a", new Request(2, null));
    EXPERIMENTS.put("any-one-b", new Request(1, null));
    EXPERIMENTS.put("h100-one-b", new Request(1, "*H100*"));
    EXPERIMENTS.put("t4-three", new Request(3, "*T4*"));
    EXPERIMENTS.put("any-three", new Request(3, null));
    EXPERIMENTS.put("any-one-c", new Request(1, null));
    EXPERIMENTS.put("t4-eight", new Request(8, "*T4*"));
    EXPERIMENTS.put("any-two-b", new Request(2, null));
    EXPERIMENTS.put("h100-four", new Request(4, "*H100*"));
    EXPERIMENTS.put("any-one-d", new Request(1, null));
    EXPERIMENTS.put("t4-one-b", new Request(1, "Tesla*"));
    EXPERIMENTS.put("any-four", new Request(4, null));
  }

  private static final String ADDED = "amended-t4-two";

  @Test
  void aPoolRunsEveryRunOnceOnGpusThatFit(DockerClient docker, @TempDir Path tmp) throws Exception {
    Path results = tmp.resolve("results");
    Map<String, Path> inventories = new TreeMap<>();
    inventories.put("h100", idleCopy("h100x4", tmp.resolve("inv-h100")));
    inventories.put("a100", idleCopy("a100-mig", tmp.resolve("inv-a100")));
    inventories.put("t4", idleCopy("t4x8", tmp.resolve("inv-t4")));
    Map<String, Map<String, String>> gpusByHost = new TreeMap<>();
    for (var inv : inventories.entrySet()) {
      gpusByHost.put(inv.getKey(), PoolChecks.fullGpus(inv.getValue()));
    }
    Map<String, Process> workers = new TreeMap<>();
    Map<String, Request> requests = new LinkedHashMap<>(EXPERIMENTS);
    requests.put(ADDED, new Request(2, "*T4*"));
    Path first = tmp.resolve("pool.yaml");
    Path amended = tmp.resolve("pool-v2.yaml");
    Files.writeString(first, campaign(EXPERIMENTS), StandardCharsets.UTF_8);
    Files.writeString(amended, campaign(requests), StandardCharsets.UTF_8);
    try {
      for (String host : inventories.keySet()) {
        workers.put(host, worker(host, inventories.get(host), results, tmp, "1"));
      }
      // On a loaded machine a starting worker may give up reaching the server (exit 3): started
      // again, as a service manager restarts it.
      awaitHostsUp(
          tmp,
          inventories.size(),
          () -> {
            for (var w : workers.entrySet()) {
              if (!w.getValue().isAlive()) {
                String h = w.getKey();
                w.setValue(worker(h, inventories.get(h), results, tmp, "0" + System.nanoTime()));
              }
            }
          });
      WorkflowClient client = temporal.client();
      Instant start = Instant.now();
      String id =
          new CampaignStarter(client)
              .startOrAttach(
                  CampaignLoader.parse(Files.readString(first), "pool.yaml"), List.of("h100"))
              .workflowId();

      awaitLedger(results, l -> l.size() >= 4, "4 runs recorded");
      Cli amend = cli(tmp, "amend", CAMPAIGN, amended.toString(), "--yes");
      assertEquals(0, amend.exit(), amend.out());

      awaitLedger(results, l -> l.size() >= 10, "10 runs recorded");
      DrillKit.kill9(workers.get("h100"));
      Thread.sleep(3_000);
      workers.put("h100", worker("h100", inventories.get("h100"), results, tmp, "2"));

      awaitLedger(
          results,
          l -> l.stream().filter(e -> e.experiment().equals("a100-one")).count() == CYCLES,
          "the A100 runs recorded");
      Cli drain = cli(tmp, "drain", "a100");
      assertEquals(0, drain.exit(), drain.out());
      Instant drained = Instant.now();

      CampaignProgress end =
          WorkflowStub.fromTyped(client.newWorkflowStub(CampaignWorkflow.class, id))
              .getResult(8, TimeUnit.MINUTES, CampaignProgress.class);
      Duration wall = Duration.between(start, Instant.now());
      List<LedgerEntry> ledger = RunLedger.of(results, CAMPAIGN).read();
      List<String> planned = new ArrayList<>();
      requests.keySet().forEach(x -> planned.addAll(runIds(x)));
      List<String> misfits = PoolChecks.misfits(ledger, requests, gpusByHost);
      Map<String, Instant> routedAt = PoolChecks.routedAt(client, id, ledger);
      List<String> overlaps = PoolChecks.overlaps(ledger, routedAt);
      List<String> afterDrain = PoolChecks.routedAfterDrain(ledger, routedAt, "a100", drained);
      int left = DockerExtension.removeContainersLabelled(docker, "llem.campaign=" + CAMPAIGN);
      for (Process w : workers.values()) {
        DrillKit.stop(w);
      }
      boolean workerAlive = workers.values().stream().anyMatch(Process::isAlive);
      int lost = DrillKit.runsLost(planned, ledger);
      int twice = DrillKit.recordedTwice(ledger) + Math.max(0, ledger.size() - planned.size());
      Figures.report(
          new Figures.Report(
              "10. pool: 3 hosts (4×H100, A100 with MIG, 8×T4), "
                  + planned.size()
                  + " runs, 1 worker kill -9 and restart, 1 host drained, 1 experiment amended in",
              1,
              lost,
              twice,
              left,
              0,
              0));
      Figures.timing(
          "10. pool",
          "%d runs on %d hosts in %d s (1 restart, 1 drained, 1 amended; %s)"
              .formatted(planned.size(), inventories.size(), wall.toSeconds(), hostsCount(ledger)));

      assertEquals(CampaignStatus.COMPLETED, end.state(), end.toString());
      assertEquals(CYCLES * (EXPERIMENTS.size() + 1), planned.size());
      assertEquals(0, lost, ledger.toString());
      assertEquals(0, twice, ledger.toString());
      for (LedgerEntry e : ledger) {
        assertEquals("completed", e.status(), e.toString());
      }
      assertEquals(List.of(), misfits);
      assertEquals(List.of(), overlaps);
      assertEquals(List.of(), afterDrain);
      assertTrue(
          ledger.stream().anyMatch(e -> e.host().equals("a100")), "the A100 host ran nothing");
      assertEquals(0, left, "containers of the campaign left");
      assertFalse(workerAlive, "a worker process outlived the drill");
    } finally {
      workers.values().forEach(Process::destroyForcibly);
      keepLogs(tmp);
      DockerExtension.removeContainersLabelled(docker, "llem.campaign=" + CAMPAIGN);
    }
  }

  private static String campaign(Map<String, Request> experiments) {
    List<String> lines = new ArrayList<>();
    lines.add("campaign: " + CAMPAIGN);
    lines.add("hosts: any");
    lines.add("defaults:");
    lines.add("  image: 'llem-probe:dev'");
    lines.add("  timeout: 2m");
    lines.add("  command: [sh, -c, 'sleep 1; printf \"{\\\"ok\\\": 1}\" > /results/result.json']");
    lines.add("experiments:");
    experiments.forEach(
        (name, r) ->
            lines.add(
                "  - {name: "
                    + name
                    + ", gpus: {count: "
                    + r.count()
                    + (r.model() == null ? "" : ", model: '" + r.model() + "'")
                    + "}}"));
    lines.add("execution: {cycles: " + CYCLES + ", concurrency: 8, order: grouped}");
    return String.join("\n", lines) + "\n";
  }

  private static List<String> runIds(String experiment) {
    List<String> ids = new ArrayList<>();
    for (int c = 1; c <= CYCLES; c++) {
      ids.add(experiment + ".c" + c);
    }
    return ids;
  }

  private static Map<String, Long> hostsCount(List<LedgerEntry> ledger) {
    Map<String, Long> n = new TreeMap<>();
    ledger.forEach(e -> n.merge(e.host(), 1L, Long::sum));
    return n;
  }

  private static Process worker(String host, Path inventory, Path results, Path tmp, String n)
      throws IOException {
    return DrillKit.worker(
        temporal.address(),
        host,
        inventory,
        results,
        tmp.resolve("home-" + host),
        Map.of(),
        tmp.resolve(host + "-" + n + ".log"));
  }

  private static void awaitLedger(Path results, Predicate<List<LedgerEntry>> done, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!done.test(RunLedger.of(results, CAMPAIGN).read())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never: " + what);
      }
      Thread.sleep(250);
    }
  }

  /** Something to do between polls that may start a process. */
  interface Step {
    void run() throws IOException;
  }

  private static void awaitHostsUp(Path tmp, int hosts, Step meanwhile) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (true) {
      meanwhile.run();
      Cli r = cli(tmp, "hosts", "--json");
      String out = r.out();
      if (r.exit() == 0 && out.split("\"state\"\\s*:\\s*\"up\"", -1).length - 1 == hosts) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the workers did not all register: " + out);
      }
      Thread.sleep(1000);
    }
  }

  record Cli(int exit, String out) {}

  /** A command of the built CLI against the drill's server, as an operator types it. */
  private static Cli cli(Path tmp, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-jar", DrillKit.jar().toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--temporal", temporal.address()));
    Path log = Files.createTempFile(tmp, "cli-", ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("TEMPORAL_ADDRESS");
    pb.environment().put("LLEM_HOME", tmp.resolve("home-cli").toString());
    pb.redirectOutput(log.toFile());
    long t0 = System.nanoTime();
    Process p = pb.start();
    boolean ended = p.waitFor(180, TimeUnit.SECONDS);
    System.out.printf(
        "pool drill: `%s` took %d ms%n",
        String.join(" ", args), (System.nanoTime() - t0) / 1_000_000);
    if (!ended) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", args) + " did not end: " + Files.readString(log));
    }
    return new Cli(p.exitValue(), Files.readString(log));
  }

  /** The processes' logs, kept under target/ for a look after a failed drill. */
  private static void keepLogs(Path tmp) throws IOException {
    Path to = Path.of("target", "pool-drill-logs");
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(tmp)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".log")).toList()) {
        Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** A copy of a captured inventory with no GPU busy. */
  private static Path idleCopy(String name, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files =
        Files.list(DockerExtension.repoRoot().resolve("examples/inventories").resolve(name))) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
    Files.writeString(to.resolve("compute-apps.csv"), "");
    return to;
  }
}
