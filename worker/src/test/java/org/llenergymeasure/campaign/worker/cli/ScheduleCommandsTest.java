package org.llenergymeasure.campaign.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.worker.LlemHome;
import org.llenergymeasure.campaign.worker.host.HostRuntime;
import org.llenergymeasure.campaign.worker.host.WorkerHost;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;

/**
 * {@code schedule} on a real Temporal dev server with a worker in this JVM on the simulated
 * inventory and the real Docker engine (llem-probe:dev): firings every few seconds are campaigns of
 * their own (names, results folders, ledgers), pause stops them, trigger fires one, update changes
 * the frozen file's hash, delete removes the schedule, and a firing due while one runs is skipped.
 * Plus the refusals of bad input.
 */
@Tag("docker")
@Tag("temporal")
@ExtendWith(DockerExtension.class)
class ScheduleCommandsTest {

  private static final String HOST = "sched-host";

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  private final Path repo = DockerExtension.repoRoot();
  private final Path inventory = repo.resolve("examples/inventories/sim-4gpu-idle");

  private static Path file(Path dir, String name, int gpu, String command) throws Exception {
    Path f =
        dir.resolve(name + "-" + gpu + "-" + Integer.toHexString(command.hashCode()) + ".yaml");
    Files.writeString(
        f,
        String.join(
            "\n",
            "campaign: " + name,
            "defaults: {image: 'llem-probe:dev', timeout: 2m}",
            "experiments:",
            "  - name: a",
            "    gpus: [" + gpu + "]",
            "    command: [sh, -c, '" + command + "']",
            ""));
    return f;
  }

  private String[] args(String... command) {
    List<String> all = new ArrayList<>(List.of(command));
    all.add("--temporal");
    all.add(temporal.address());
    return all.toArray(String[]::new);
  }

  private JsonNode describe(String name) {
    CliRun r = CliRun.of(args("schedule", "describe", name, "--json"));
    assertEquals(0, r.exit(), r.err());
    return r.json();
  }

  private static List<String> completedFirings(JsonNode schedule) {
    List<String> names = new ArrayList<>();
    for (JsonNode f : schedule.get("firings")) {
      if (f.get("state").asText().equals("completed")) {
        names.add(f.get("campaign").asText());
      }
    }
    return names;
  }

  @Test
  void badInputIsRefusedWithTheReason(@TempDir Path tmp) throws Exception {
    Path good = file(tmp, "sched-bad", 0, "echo {} > /results/result.json");
    Path invalid = tmp.resolve("invalid.yaml");
    Files.writeString(invalid, "campaign: Bad Name\nexperiments: []\n");

    CliRun badFile =
        CliRun.of(args("schedule", "create", "s1", invalid.toString(), "--every", "1h", "--json"));
    badFile.assertJsonError(2, "CampaignFileInvalid", false);
    assertTrue(badFile.err().contains("invalid.yaml:1:"), badFile.err());

    for (String[] flags :
        List.of(
            new String[] {"--cron", "0 2 * * *", "--every", "1h"},
            new String[] {},
            new String[] {"--every", "abc"},
            new String[] {"--every", "0"},
            new String[] {"--cron", "0 2 * * *", "--timezone", "Mars/Base"},
            new String[] {"--every", "1h", "--timezone", "UTC"})) {
      List<String> a = new ArrayList<>(List.of("schedule", "create", "s1", good.toString()));
      a.addAll(List.of(flags));
      a.add("--json");
      CliRun r = CliRun.of(args(a.toArray(String[]::new)));
      r.assertJsonError(2, "BadInput", false);
    }
    CliRun upper =
        CliRun.of(args("schedule", "create", "Nightly", good.toString(), "--every", "1h"));
    assertEquals(2, upper.exit(), upper.err());
    assertTrue(upper.err().contains("upper-case"), upper.err());
    CliRun tooLong =
        CliRun.of(args("schedule", "create", "n".repeat(47), good.toString(), "--every", "1h"));
    assertEquals(2, tooLong.exit(), tooLong.err());
    assertTrue(tooLong.err().contains("at most 46"), tooLong.err());

    // The server checks the cron expression; its refusal is bad input with its words.
    CliRun badCron =
        CliRun.of(args("schedule", "create", "s1", good.toString(), "--cron", "bogus cron"));
    assertEquals(2, badCron.exit(), badCron.err());
    assertTrue(badCron.err().contains("refused schedule s1"), badCron.err());

    CliRun created =
        CliRun.of(
            args(
                "schedule",
                "create",
                "s1",
                good.toString(),
                "--cron",
                "0 2 * * *",
                "--timezone",
                "Europe/Berlin",
                "--json"));
    assertEquals(0, created.exit(), created.err());
    assertEquals("0 2 * * *", created.json().get("cron").asText());
    assertEquals("Europe/Berlin", created.json().get("timezone").asText());
    assertEquals(10, created.json().get("nextFireTimes").size(), created.out());
    CliRun human = CliRun.of(args("schedule", "describe", "s1"));
    assertEquals(0, human.exit(), human.err());
    assertTrue(
        human.out().contains("schedule s1: cron \"0 2 * * *\" (Europe/Berlin)"), human.out());
    assertTrue(
        human.out().contains("hash:     " + created.json().get("hash").asText()), human.out());
    // list reads the server's visibility, which may lag a moment.
    eventually(
        () -> CliRun.of(args("schedule", "list")),
        r -> r.exit() == 0 && r.out().lines().anyMatch(l -> l.startsWith("s1 ")),
        Duration.ofSeconds(30));
    CliRun again =
        CliRun.of(args("schedule", "create", "s1", good.toString(), "--every", "1h", "--json"));
    JsonNode error = again.assertJsonError(2, "BadInput", false);
    assertTrue(error.get("message").asText().contains("already exists"), error.toString());
    assertEquals(0, CliRun.of(args("schedule", "delete", "s1")).exit());

    CliRun unknown = CliRun.of(args("schedule", "describe", "nope"));
    assertEquals(2, unknown.exit(), unknown.err());
    assertTrue(unknown.err().contains("no schedule named nope"), unknown.err());
    assertEquals(2, CliRun.of(args("schedule", "pause", "nope")).exit());
  }

  @Test
  void firingsAreCampaignsOfTheirOwnAndOverlapsAreSkipped(DockerClient docker, @TempDir Path tmp)
      throws Exception {
    Path results = tmp.resolve("results");
    Path quick = file(tmp, "nightly-file", 0, "echo {} > /results/result.json");
    Path changed = file(tmp, "nightly-file", 0, "echo changed; echo {} > /results/result.json");
    Path slow = file(tmp, "slow-file", 1, "sleep 12; echo {} > /results/result.json");
    try (HostRuntime runtime =
            HostRuntime.open(HOST, results, inventory, new LlemHome(tmp.resolve("home")));
        WorkerHost worker =
            new WorkerHost(temporal.client(), HOST, runtime.activities(), 2).start()) {
      CliRun created =
          CliRun.of(
              args(
                  "schedule",
                  "create",
                  "sched-two",
                  quick.toString(),
                  "--every",
                  "3s",
                  "--host-id",
                  HOST,
                  "--json"));
      assertEquals(0, created.exit(), created.err());
      String hash = created.json().get("hash").asText();
      CliRun validated = CliRun.of("validate", quick.toString(), "--json");
      assertEquals(validated.json().get("hash").asText(), hash, "the file's hash is validate's");
      assertEquals("3s", created.json().get("every").asText());
      assertEquals("skip", created.json().get("overlap").asText());

      // Two firings ran to the end: two campaigns, two results folders, two ledgers.
      JsonNode two =
          eventually(
              () -> describe("sched-two"),
              s -> completedFirings(s).size() >= 2,
              Duration.ofSeconds(180));
      assertEquals(0, CliRun.of(args("schedule", "pause", "sched-two")).exit());
      List<String> names = completedFirings(two).subList(0, 2);
      assertEquals(2, new HashSet<>(names).size(), names.toString());
      for (String name : names) {
        assertTrue(name.matches("sched-two-[0-9]{8}t[0-9]{6}z"), name);
        Path ledger = results.resolve(name).resolve("ledger.jsonl");
        List<String> lines = Files.readAllLines(ledger);
        assertEquals(1, lines.size(), ledger + ": " + lines);
        CliRun res = CliRun.of("results", name, "--json", "--results", results.toString());
        assertEquals(0, res.exit(), res.err());
        JsonNode run = res.json().get("runs").get(0);
        assertEquals("completed", run.get("status").asText(), res.out());
        assertTrue(run.get("resultDir").asText().contains("/" + name + "/a.c1/"), res.out());
        CliRun status = CliRun.of(args("status", name, "--json"));
        assertEquals(0, status.exit(), status.err());
        assertEquals(name, status.json().get("campaign").asText());
        assertEquals("completed", status.json().get("state").asText());
      }
      JsonNode listed =
          eventually(
                  () -> CliRun.of(args("list", "--json")),
                  r -> r.exit() == 0 && campaigns(r.json()).containsAll(names),
                  Duration.ofSeconds(30))
              .json();
      assertTrue(campaigns(listed).containsAll(names), listed.toString());

      // Paused: no firing starts; the one that ran at the pause ends.
      JsonNode paused =
          eventually(
              () -> describe("sched-two"), s -> s.get("running").isEmpty(), Duration.ofSeconds(60));
      assertTrue(paused.get("paused").asBoolean(), paused.toString());
      assertTrue(paused.get("nextFireTimes").isEmpty(), paused.toString());
      long fired = paused.get("fired").asLong();
      Thread.sleep(7_000);
      assertEquals(fired, describe("sched-two").get("fired").asLong(), "a paused schedule fired");

      // Trigger: one firing now, even while paused.
      assertEquals(0, CliRun.of(args("schedule", "trigger", "sched-two")).exit());
      JsonNode triggered =
          eventually(
              () -> describe("sched-two"),
              s -> s.get("fired").asLong() == fired + 1 && s.get("running").isEmpty(),
              Duration.ofSeconds(90));
      List<String> after = completedFirings(triggered);
      String third = after.get(after.size() - 1);
      assertFalse(names.contains(third), after.toString());
      assertTrue(Files.exists(results.resolve(third).resolve("ledger.jsonl")), third);

      // Update: a new frozen file, a new hash; the schedule stays paused.
      CliRun updated =
          CliRun.of(args("schedule", "update", "sched-two", changed.toString(), "--json"));
      assertEquals(0, updated.exit(), updated.err());
      String newHash = updated.json().get("hash").asText();
      assertNotEquals(hash, newHash);
      assertEquals(
          CliRun.of("validate", changed.toString(), "--json").json().get("hash").asText(), newHash);
      assertEquals(newHash, describe("sched-two").get("hash").asText());
      assertTrue(describe("sched-two").get("paused").asBoolean());

      // Overlap: a firing due while one runs (12 s, every 3 s) is skipped.
      CliRun slowCreated =
          CliRun.of(
              args(
                  "schedule",
                  "create",
                  "sched-skip",
                  slow.toString(),
                  "--every",
                  "3s",
                  "--host-id",
                  HOST));
      assertEquals(0, slowCreated.exit(), slowCreated.err());
      JsonNode skipping =
          eventually(
              () -> describe("sched-skip"),
              s -> s.get("skipped").asLong() >= 2,
              Duration.ofSeconds(60));
      assertEquals(1, skipping.get("fired").asLong(), skipping.toString());
      assertEquals(1, skipping.get("running").size(), skipping.toString());
      String slowFiring = skipping.get("running").get(0).asText();
      assertEquals(0, CliRun.of(args("schedule", "delete", "sched-skip")).exit());

      // Delete: gone from describe and list; the firing that ran goes on to its end.
      assertEquals(0, CliRun.of(args("schedule", "delete", "sched-two")).exit());
      CliRun gone = CliRun.of(args("schedule", "describe", "sched-two"));
      assertEquals(2, gone.exit(), gone.err());
      JsonNode none =
          eventually(
                  () -> CliRun.of(args("schedule", "list", "--json")),
                  r ->
                      r.exit() == 0
                          && !r.out().contains("sched-two")
                          && !r.out().contains("sched-skip"),
                  Duration.ofSeconds(30))
              .json();
      assertTrue(none.get("schedules").isArray(), none.toString());
      CliRun slowEnd =
          eventually(
              () -> CliRun.of(args("status", slowFiring, "--json")),
              r -> r.exit() == 0 && r.json().get("state").asText().equals("completed"),
              Duration.ofSeconds(90));
      assertEquals(1, slowEnd.json().get("completed").asLong(), slowEnd.out());
    }
  }

  private static Set<String> campaigns(JsonNode list) {
    Set<String> out = new HashSet<>();
    list.get("campaigns").forEach(c -> out.add(c.get("campaign").asText()));
    return out;
  }

  private static <T> T eventually(Supplier<T> read, Predicate<T> done, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    T last = read.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within + ": " + last);
      }
      Thread.sleep(500);
      last = read.get();
    }
    return last;
  }
}
