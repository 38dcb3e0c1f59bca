package org.llenergymeasure.campaign.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;
import picocli.CommandLine;

/**
 * The client profiles of temporal.toml, as a user has them: two profiles, one pointing at a real
 * dev server and one at a port where nothing listens, chosen by TEMPORAL_PROFILE and by --profile,
 * each command in its own JVM with its own environment.
 */
@Tag("temporal")
class ProfileCommandTest {

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  private static final String KEY = "llem-test-key-9d3a51c7e0";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;
  private static Path config;
  private static String nowhere;

  @BeforeAll
  static void twoProfiles() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      nowhere = "127.0.0.1:" + s.getLocalPort();
    }
    config = tmp.resolve("temporal.toml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "[profile.dev]",
            "address = \"" + temporal.address() + "\"",
            "namespace = \"default\"",
            "",
            "[profile.wrong]",
            "address = \"" + nowhere + "\"",
            "",
            "[profile.keyed]",
            "address = \"" + nowhere + "\"",
            "api_key = \"" + KEY + "\"",
            ""));
  }

  private static CliJvm cli(Map<String, String> env, String... args) throws Exception {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("TEMPORAL_CONFIG_FILE", config.toString());
    return CliJvm.run(tmp, all, args);
  }

  @Test
  void temporalProfileAndTheProfileFlagSelectTheServer() throws Exception {
    CliJvm dev = cli(Map.of("TEMPORAL_PROFILE", "dev"), "list", "--json");
    assertEquals(0, dev.exit(), dev.all());
    assertTrue(JSON.readTree(dev.out()).get("campaigns").isArray(), dev.out());

    CliJvm wrong = cli(Map.of("TEMPORAL_PROFILE", "wrong"), "list");
    assertEquals(3, wrong.exit(), wrong.all());
    assertTrue(wrong.err().contains("no Temporal server reachable at " + nowhere), wrong.err());
    assertTrue(wrong.err().contains("address from profile 'wrong' in " + config), wrong.err());

    CliJvm flagOverEnv = cli(Map.of("TEMPORAL_PROFILE", "wrong"), "list", "--profile", "dev");
    assertEquals(
        0, flagOverEnv.exit(), "--profile wins over TEMPORAL_PROFILE: " + flagOverEnv.all());
    CliJvm flagToWrong = cli(Map.of("TEMPORAL_PROFILE", "dev"), "list", "--profile", "wrong");
    assertEquals(3, flagToWrong.exit(), flagToWrong.all());

    // A command that answers about the server it reached: the profile's.
    CliJvm status = cli(Map.of(), "status", "no-such-campaign", "--profile", "dev");
    assertEquals(2, status.exit(), status.all());
    assertTrue(
        status.err().contains("no campaign named no-such-campaign on " + temporal.address()),
        status.err());
  }

  @Test
  void theFlagAndTheVariableWinOverTheProfilesAddress() throws Exception {
    CliJvm flag = cli(Map.of(), "list", "--profile", "wrong", "--temporal", temporal.address());
    assertEquals(0, flag.exit(), flag.all());
    CliJvm env =
        cli(
            Map.of("TEMPORAL_PROFILE", "wrong", "TEMPORAL_ADDRESS", temporal.address()),
            "hosts",
            "--json");
    assertEquals(0, env.exit(), env.all());
  }

  @Test
  void anUnknownProfileIsBadInputNamingTheFileAndTheKnownProfiles() throws Exception {
    CliJvm r = cli(Map.of(), "list", "--profile", "prod", "--json");
    assertEquals(2, r.exit(), r.all());
    JsonNode error = JSON.readTree(r.out()).get("error");
    assertEquals("BadInput", error.get("type").asText(), error.toString());
    String message = error.get("message").asText();
    assertTrue(message.contains("'prod' (--profile)"), message);
    assertTrue(message.contains(config.toString()), message);
    assertTrue(message.contains("dev, keyed, wrong"), message);
  }

  @Test
  void runStartsNoEmbeddedServerWhenAProfileGivesTheAddressAndRunsWhereItSays() throws Exception {
    Path file = tmp.resolve("profile-run.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "campaign: profile-run-" + Long.toHexString(System.nanoTime()),
            "attach: process",
            "defaults:",
            "  image: none-in-process-mode:1",
            "experiments:",
            "  - name: one",
            "    gpus: [0]",
            "    command: [sh, -c, 'true']",
            ""));
    String inventory =
        DockerExtension.repoRoot().resolve("examples/inventories/sim-4gpu-idle").toString();
    CliJvm foreground =
        cli(
            Map.of("TEMPORAL_PROFILE", "wrong"),
            "run",
            file.toString(),
            "--inventory",
            inventory,
            "--results",
            tmp.resolve("results").toString());
    assertEquals(3, foreground.exit(), foreground.all());
    assertFalse(foreground.all().contains("Starting the embedded"), foreground.all());
    assertTrue(
        foreground.err().contains("no Temporal server reachable at " + nowhere), foreground.err());

    CliJvm detached =
        cli(Map.of(), "run", file.toString(), "--detach", "--json", "--profile", "dev");
    assertEquals(0, detached.exit(), detached.all());
    assertTrue(detached.out().contains("\"started\" : true"), detached.all());
    CliJvm listed = cli(Map.of("TEMPORAL_PROFILE", "dev"), "list", "--json");
    assertTrue(listed.out().contains("profile-run-"), listed.out());
  }

  @Test
  void theApiKeyOfAProfileIsNeverPrintedLoggedOrInAnError() throws Exception {
    Path file = tmp.resolve("keyed.yaml");
    Files.writeString(
        file,
        "campaign: keyed\nexperiments:\n  - name: a\n    image: llem-probe:dev\n"
            + "    gpus: [0]\n    command: [sh, -c, 'true']\n");
    List<String[]> commands =
        List.of(
            new String[] {"list"},
            new String[] {"list", "--json"},
            new String[] {"status", "keyed", "--json"},
            new String[] {"pause", "keyed"},
            new String[] {"hosts"},
            new String[] {"run", file.toString(), "--detach", "--json"},
            new String[] {
              "doctor",
              "--json",
              "--inventory",
              DockerExtension.repoRoot().resolve("examples/inventories/sim-4gpu-idle").toString()
            });
    for (String[] command : commands) {
      List<String> args = new ArrayList<>(List.of(command));
      args.addAll(List.of("--profile", "keyed"));
      CliJvm r = cli(Map.of(), args.toArray(String[]::new));
      assertEquals(3, r.exit(), String.join(" ", command) + ": " + r.all());
      assertTrue(r.all().contains(nowhere), String.join(" ", command) + ": " + r.all());
      assertTrue(
          r.all().contains("address from profile 'keyed' in " + config),
          String.join(" ", command) + " says where the address came from: " + r.all());
      assertFalse(r.all().contains(KEY), String.join(" ", command) + " printed the key");
    }
    CliJvm fromEnv = cli(Map.of("TEMPORAL_PROFILE", "wrong", "TEMPORAL_API_KEY", KEY), "list");
    assertEquals(3, fromEnv.exit(), fromEnv.all());
    assertFalse(fromEnv.all().contains(KEY), "the variable's key was printed");
    assertTrue(Files.isDirectory(tmp.resolve("llem-home/logs")), "run --detach logs there");
    try (Stream<Path> files = Files.walk(tmp.resolve("llem-home"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertFalse(Files.readString(f).contains(KEY), f + " holds the key");
      }
    }
  }

  @Test
  void everyCommandThatTakesTemporalTakesProfile() {
    CommandLine cli = new CommandLine(new Main());
    int connecting = 0;
    for (CommandLine sub : cli.getSubcommands().values()) {
      for (CommandLine c :
          Stream.concat(Stream.of(sub), sub.getSubcommands().values().stream()).toList()) {
        if (c.getCommandSpec().findOption("--temporal") != null) {
          connecting++;
          assertNotNull(
              c.getCommandSpec().findOption("--profile"),
              c.getCommandSpec().qualifiedName() + " takes --temporal but not --profile");
        }
      }
    }
    assertTrue(connecting > 10, connecting + " commands take --temporal");
  }
}
