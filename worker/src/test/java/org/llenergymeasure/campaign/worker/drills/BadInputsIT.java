package org.llenergymeasure.campaign.worker.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;

/**
 * Bad inputs through the real CLI: every malformed campaign file of the config module's tests given
 * to {@code run} exits 2 with a located message, starts no workflow and creates no container;
 * hostile experiment names and labels are rejected or come out as safe path components.
 */
@ExtendWith(DockerExtension.class)
class BadInputsIT {

  private static final Pattern CAMPAIGN_LINE = Pattern.compile("(?m)^campaign:\\s*\"?([^\"\\s]+)");
  private static final Pattern SAFE_RUN_ID = Pattern.compile("[A-Za-z0-9._=+-]+");

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  record Outcome(Path file, int exit, String output) {}

  @Test
  void everyMalformedCampaignFileIsRefusedBeforeAnythingStarts(
      DockerClient docker, @TempDir Path tmp) throws Exception {
    Path invalid =
        DockerExtension.repoRoot().resolve("config/src/test/resources/campaigns/invalid");
    List<Path> files;
    try (Stream<Path> s = Files.list(invalid)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(
        files.size() >= 50, "expected the config tests' malformed files, found " + files.size());
    Set<String> names = new HashSet<>();
    for (Path f : files) {
      Matcher m = CAMPAIGN_LINE.matcher(Files.readString(f, StandardCharsets.UTF_8));
      if (m.find()) {
        names.add(m.group(1));
      }
    }
    long since = System.currentTimeMillis() / 1000 - 1;

    List<Outcome> outcomes = runAll(files, tmp, "run");
    List<String> wrong = new ArrayList<>();
    for (Outcome o : outcomes) {
      String name = o.file().getFileName().toString();
      String expected = firstExpectedLine(o.file());
      if (o.exit() != 2) {
        wrong.add(name + ": exit " + o.exit() + " instead of 2: " + o.output());
      } else if (!o.output().contains(name + ":" + expected)) {
        wrong.add(name + ": no located message `" + name + ":" + expected + "` in: " + o.output());
      }
    }
    WorkflowClient client = temporal.client();
    long workflows = client.listExecutions("").count();
    int containers = containersCreatedSince(docker, names, since);
    Figures.report(
        new Figures.Report(
            "bad inputs: malformed campaign files through `run`",
            1,
            0,
            0,
            containers,
            0,
            files.size()));

    assertEquals(List.of(), wrong);
    assertEquals(0, workflows, "a malformed file started a workflow");
    assertEquals(0, containers, "a malformed file created a container");
  }

  @Test
  void hostileNamesAreRejectedOrSafe(@TempDir Path tmp) throws Exception {
    List<String> hostile =
        List.of(
            "has space",
            "a/b",
            "../../etc",
            "..",
            "ünïcödé",
            "x\\y",
            "tab\there",
            "-leading-dash",
            ".hidden");
    List<Path> files = new ArrayList<>();
    int i = 0;
    for (String name : hostile) {
      files.add(
          write(
              tmp,
              "name" + i++,
              "campaign: hostile\nexperiments:\n  - name: "
                  + quote(name)
                  + "\n    image: 'llem-probe:dev'\n    gpus: [0]\n    command: [true]\n"));
    }
    for (String label : List.of("../../etc/passwd", "a/b c", "ünï")) {
      files.add(
          write(
              tmp,
              "label" + i++,
              "campaign: hostile\nlabels: {k: "
                  + quote(label)
                  + "}\nexperiments:\n  - name: ok\n    image: 'llem-probe:dev'\n    gpus: [0]\n    command: [true]\n"));
    }
    files.add(
        write(
            tmp,
            "campaign" + i++,
            "campaign: ../evil\nexperiments:\n  - name: ok\n    image: 'llem-probe:dev'\n    gpus: [0]\n    command: [true]\n"));
    files.add(
        write(
            tmp,
            "campaign" + i,
            "campaign: 'a b/c'\nexperiments:\n  - name: ok\n    image: 'llem-probe:dev'\n    gpus: [0]\n    command: [true]\n"));

    List<String> unsafe = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    int rejected = 0;
    for (Outcome o : runAll(files, tmp, "plan")) {
      if (o.exit() == 2) {
        rejected++;
        if (!o.output().contains(o.file().getFileName().toString() + ":")) {
          unsafe.add(o.file().getFileName() + ": rejected without a location: " + o.output());
        }
        continue;
      }
      if (o.exit() != 0) {
        unsafe.add(o.file().getFileName() + ": exit " + o.exit() + ": " + o.output());
        continue;
      }
      String out = o.output();
      JsonNode plan = json.readTree(out.substring(out.indexOf('{')));
      if (!isSafeComponent(plan.get("campaign").asText())) {
        unsafe.add(o.file().getFileName() + ": campaign name " + plan.get("campaign"));
      }
      for (JsonNode run : plan.get("runs")) {
        if (!isSafeComponent(run.get("runId").asText())) {
          unsafe.add(o.file().getFileName() + ": run id " + run.get("runId"));
        }
      }
    }
    Figures.report(
        new Figures.Report(
            "bad inputs: hostile names and labels (" + rejected + " rejected, the rest safe)",
            1,
            0,
            0,
            0,
            0,
            files.size()));
    assertEquals(List.of(), unsafe);
  }

  private static boolean isSafeComponent(String s) {
    return SAFE_RUN_ID.matcher(s).matches() && !s.equals(".") && !s.equals("..");
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\t", "\\t").replace("\"", "\\\"") + "\"";
  }

  private static Path write(Path dir, String name, String yaml) throws IOException {
    Path f = dir.resolve(name + ".yaml");
    Files.writeString(f, yaml, StandardCharsets.UTF_8);
    return f;
  }

  private static String firstExpectedLine(Path yaml) throws IOException {
    Path expected =
        yaml.resolveSibling(yaml.getFileName().toString().replace(".yaml", ".expected"));
    return Files.readAllLines(expected).stream()
        .filter(l -> !l.startsWith("#") && !l.isBlank())
        .findFirst()
        .orElseThrow();
  }

  /** Runs the CLI on each file, two at a time (the CI machine has two cores). */
  private List<Outcome> runAll(List<Path> files, Path tmp, String command) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Outcome>> futures = new ArrayList<>();
      for (Path f : files) {
        futures.add(pool.submit(() -> cli(f, tmp, command)));
      }
      List<Outcome> out = new ArrayList<>();
      for (Future<Outcome> f : futures) {
        out.add(f.get(2, TimeUnit.MINUTES));
      }
      return Collections.unmodifiableList(out);
    } finally {
      pool.shutdownNow();
    }
  }

  private Outcome cli(Path file, Path tmp, String command)
      throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> args =
        new ArrayList<>(
            List.of(java.toString(), "-jar", DrillKit.jar().toString(), command, file.toString()));
    if (command.equals("run")) {
      args.addAll(
          List.of(
              "--temporal",
              temporal.address(),
              "--results",
              tmp.resolve("results").toString(),
              "--inventory",
              DockerExtension.repoRoot().resolve("examples/inventories/sim-4gpu-idle").toString()));
    } else {
      args.add("--json");
    }
    ProcessBuilder pb = new ProcessBuilder(args).redirectErrorStream(true);
    pb.environment().put("LLEM_HOME", tmp.resolve("home").toString());
    Path log = Files.createTempFile(tmp, "cli-", ".log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " " + file + " did not end: " + Files.readString(log));
    }
    return new Outcome(file, p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  private static int containersCreatedSince(
      DockerClient docker, Set<String> campaigns, long sinceEpochSeconds) {
    int n = 0;
    for (Container c :
        docker
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(List.of("llem.campaign"))
            .exec()) {
      if (c.getCreated() >= sinceEpochSeconds
          && campaigns.contains(c.getLabels().get("llem.campaign"))) {
        n++;
      }
    }
    return n;
  }
}
