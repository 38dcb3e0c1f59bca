package org.llenergymeasure.campaign.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;

/** doctor on this machine: the real Docker engine, a real Temporal server, simulated GPUs. */
@Tag("docker")
@Tag("temporal")
@ExtendWith(DockerExtension.class)
class DoctorCommandTest {

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  private final Path repo = DockerExtension.repoRoot();

  private static Map<String, JsonNode> byName(CliRun r) {
    Map<String, JsonNode> checks = new HashMap<>();
    for (JsonNode c : r.json().get("checks")) {
      assertTrue(c.has("name") && c.has("status") && c.has("detail") && c.has("fix"), c.toString());
      checks.put(c.get("name").asText(), c);
    }
    return checks;
  }

  @Test
  void aReadyHostPassesEveryCheck(@TempDir Path tmp) {
    CliRun r =
        CliRun.of(
            "doctor",
            repo.resolve("examples/quickstart.yaml").toString(),
            "--json",
            "--inventory",
            repo.resolve("examples/inventories/sim-4gpu-idle").toString(),
            "--temporal",
            temporal.address(),
            "--results",
            tmp.resolve("results").toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    Map<String, JsonNode> checks = byName(r);
    for (String name :
        new String[] {
          "java",
          "docker",
          "nvidia-runtime",
          "gpus",
          "host-energy",
          "temporal",
          "image llem-probe:dev",
          "disk"
        }) {
      assertNotNull(checks.get(name), name + " in " + checks.keySet());
      assertEquals("ok", checks.get(name).get("status").asText(), checks.get(name).toString());
    }
    assertTrue(
        checks.get("docker").get("detail").asText().matches("Docker engine \\d+\\..*"),
        checks.get("docker").toString());
    assertTrue(
        checks.get("gpus").get("detail").asText().contains("SIMULATED"),
        checks.get("gpus").toString());
    assertTrue(
        checks.get("gpus").get("detail").asText().contains("4 GPU(s)"),
        checks.get("gpus").toString());
    assertTrue(checks.get("temporal").get("detail").asText().contains(temporal.address()));
    assertTrue(
        checks.get("host-energy").get("detail").asText().startsWith("simulated host"),
        checks.get("host-energy").toString());
  }

  @Test
  void aMissingImageAndAServerThatIsDownFailWithFixesAndExit3(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("c.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "campaign: doctor-missing",
            "experiments:",
            "  - name: one",
            "    image: 'llem-no-such-image:0.0.0'",
            "    gpus: [0]",
            "    command: [sh, -c, 'true']",
            ""));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    CliRun r =
        CliRun.of(
            "doctor",
            file.toString(),
            "--json",
            "--inventory",
            repo.resolve("examples/inventories/h200-1gpu").toString(),
            "--temporal",
            "127.0.0.1:" + port,
            "--results",
            tmp.toString());
    assertEquals(3, r.exit(), r.out() + r.err());
    Map<String, JsonNode> checks = byName(r);
    JsonNode image = checks.get("image llem-no-such-image:0.0.0");
    assertEquals("fail", image.get("status").asText());
    assertTrue(
        image.get("fix").asText().contains("docker pull llem-no-such-image:0.0.0"),
        image.toString());
    JsonNode server = checks.get("temporal");
    assertEquals("fail", server.get("status").asText());
    assertTrue(server.get("detail").asText().contains("127.0.0.1:" + port), server.toString());
    assertEquals("ok", checks.get("docker").get("status").asText());

    CliRun people =
        CliRun.of(
            "doctor",
            "--inventory",
            tmp.resolve("no-such-folder").toString(),
            "--temporal",
            temporal.address(),
            "--results",
            tmp.toString());
    assertEquals(3, people.exit());
    assertTrue(people.out().lines().anyMatch(l -> l.startsWith("fail  gpus")), people.out());
    assertTrue(people.out().contains("fix: give a folder with query-gpu.csv"), people.out());
  }
}
