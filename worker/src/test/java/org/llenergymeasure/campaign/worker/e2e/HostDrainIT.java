package org.llenergymeasure.campaign.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;

/**
 * The host registry with the packaged CLI as an operator uses it: two {@code worker} processes with
 * different simulated inventories register their hosts; {@code hosts --json} lists both with their
 * GPUs; {@code drain nosuch} exits 2 naming them; a drained host's worker stopped with SIGTERM
 * leaves no record, and the other host stays listed.
 */
class HostDrainIT {

  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  private final Path repo = DockerExtension.repoRoot();

  private Process worker(String host, String inventory, Path tmp) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(
                repo.resolve("bin/llem-campaign").toString(),
                "worker",
                "--host-id",
                host,
                "--inventory",
                repo.resolve("examples/inventories").resolve(inventory).toString(),
                "--temporal",
                temporal.address(),
                "--results",
                tmp.resolve("results").toString())
            .directory(repo.toFile())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve(host + ".log").toFile());
    pb.environment().remove("TEMPORAL_ADDRESS");
    pb.environment().put("LLEM_HOME", tmp.resolve("home-" + host).toString());
    return pb.start();
  }

  private CliProcess.Result cli(String... args) throws Exception {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--temporal";
    all[args.length + 1] = temporal.address();
    return CliProcess.run(repo, Map.of(), LIMIT, all);
  }

  /** The hosts by id from {@code hosts --json} (stdout and stderr share the output). */
  private Map<String, JsonNode> hosts() throws Exception {
    CliProcess.Result r = cli("hosts", "--json");
    assertEquals(0, r.exitCode(), r.output());
    return parse(r);
  }

  /** While the workers start on a loaded machine the CLI may time out connecting: none yet. */
  private Map<String, JsonNode> hostsIfAnswered() throws Exception {
    CliProcess.Result r = cli("hosts", "--json");
    return r.exitCode() == 0 ? parse(r) : Map.of();
  }

  private static Map<String, JsonNode> parse(CliProcess.Result r) throws Exception {
    String out = r.output();
    JsonNode root = JSON.readTree(out.substring(out.indexOf('{'), out.lastIndexOf('}') + 1));
    Map<String, JsonNode> byId = new java.util.TreeMap<>();
    root.get("hosts").forEach(h -> byId.put(h.get("hostId").asText(), h));
    return byId;
  }

  private static String state(Map<String, JsonNode> hosts, String id) {
    JsonNode h = hosts.get(id);
    return h == null ? "absent" : h.get("state").asText();
  }

  @Test
  void workersRegisterAndADrainedWorkerStoppedLeavesNoRecord(@TempDir Path tmp) throws Exception {
    Process a = worker("a", "sim-4gpu-idle", tmp);
    Process b = worker("b", "h200-2gpu", tmp);
    try {
      Map<String, JsonNode> hosts = Map.of();
      long deadline = System.nanoTime() + LIMIT.toNanos();
      while (!(state(hosts, "a").equals("up") && state(hosts, "b").equals("up"))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "the workers did not register: "
                  + hosts
                  + "\n"
                  + Files.readString(tmp.resolve("a.log"))
                  + Files.readString(tmp.resolve("b.log")));
        }
        Thread.sleep(1000);
        hosts = hostsIfAnswered();
      }
      assertEquals(4, hosts.get("a").get("gpus").size(), hosts.toString());
      assertEquals(2, hosts.get("b").get("gpus").size(), hosts.toString());
      assertEquals("NVIDIA H200", hosts.get("b").get("gpus").get(0).get("name").asText());
      assertEquals("0.1.0", hosts.get("a").get("workerVersion").asText());

      CliProcess.Result nosuch = cli("drain", "nosuch");
      assertEquals(2, nosuch.exitCode(), nosuch.output());
      assertTrue(nosuch.output().contains("known hosts: a, b"), nosuch.output());

      CliProcess.Result drain = cli("drain", "a");
      assertEquals(0, drain.exitCode(), drain.output());
      assertTrue(drain.output().contains("nothing new is placed there"), drain.output());
      assertEquals("drained", state(hosts(), "a"));

      // SIGTERM: the graceful stop of a drained host's worker removes its record.
      a.destroy();
      assertTrue(a.waitFor(60, TimeUnit.SECONDS), "worker a stopped");
      Map<String, JsonNode> after = hosts();
      assertEquals("absent", state(after, "a"), after.toString());
      assertEquals("up", state(after, "b"), after.toString());
      CliProcess.Result undrain = cli("undrain", "a");
      assertEquals(2, undrain.exitCode(), undrain.output());
      assertTrue(undrain.output().contains("known hosts: b"), undrain.output());
    } finally {
      a.destroyForcibly();
      b.destroyForcibly();
    }
  }
}
