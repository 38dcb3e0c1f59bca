package org.llenergymeasure.campaign.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.ledger.RunLedger;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.worker.cli.Main;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;

/**
 * Experiments of llenergymeasure ({@code llenergymeasure:}) end to end, the way a user runs them:
 * {@code llem-campaign run FILE} as its own process (a JVM on the test's class path) against a real
 * Temporal dev server, with its worker in that process, on a simulated host. The runs are the
 * doubles of upstream's contract: the image {@code llem-upstream-double:dev} in a container, its
 * Python entry point module under {@code attach: process}; each experiment's config chooses what
 * the double does (a result in either of upstream's shapes, a baseline file beside it, two results,
 * none, an error file of a runtime error or of a configuration error).
 */
@Tag("docker")
@Tag("temporal")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
@ExtendWith(DockerExtension.class)
class LlenergymeasureEndToEndTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HOST = "e2e-lem-host";
  private static final String DOUBLE_IMAGE = "llem-upstream-double:dev";

  /** Experiment name → the double's behaviour. */
  private static final Map<String, String> BEHAVIOURS =
      Map.of(
          "v3", "result-v3",
          "v070", "result-v0.7.0",
          "baseline", "baseline-beside",
          "two", "two-results",
          "missing", "missing",
          "runtime", "error-runtime",
          "config", "error-config");

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  private final Path repo = DockerExtension.repoRoot();

  @Test
  void containerRunsOfTheImageDoubleAreCollectedByUpstreamsContract(
      DockerClient docker, @TempDir Path tmp) throws Exception {
    String campaign = "e2e-lem-container";
    ensureDoubleImage(docker);
    String yaml =
        campaignFile(
            campaign,
            List.of(
                "attach: env",
                "defaults: {image: 'llem-upstream-double:dev', timeout: 2m, gpus: [0], retries: 1}"),
            "");

    List<LedgerEntry> ledger = run(campaign, yaml, tmp);

    String log = assertContract(campaign, ledger, tmp);
    assertTrue(
        log.contains("[llem-double] config=/run/llem/llem_config.json output=/run/llem"), log);
    assertEquals(
        0,
        DockerExtension.removeContainersLabelled(docker, "llem.campaign=" + campaign),
        "containers left");
  }

  @Test
  void processRunsOfThePythonDoubleAreCollectedByUpstreamsContract(@TempDir Path tmp)
      throws Exception {
    String campaign = "e2e-lem-process";
    // From the checkout: on the class path it may sit inside the activities test jar.
    Path python = repo.resolve("activities/src/test/resources/upstream-double-python");
    Path shapes = repo.resolve("images/llem-upstream-double/results");
    String yaml =
        campaignFile(
            campaign,
            List.of(
                "attach: process",
                "defaults:",
                "  timeout: 2m",
                "  gpus: none",
                "  retries: 1",
                "  env: {PYTHONPATH: '" + python + "', LLEM_DOUBLE_RESULTS: '" + shapes + "'}"),
            "      python: python3");

    List<LedgerEntry> ledger = run(campaign, yaml, tmp);

    LedgerEntry v3 = only(ledger, "v3");
    Path out = Path.of(v3.resultDir()).resolve("out");
    String log = assertContract(campaign, ledger, tmp);
    assertTrue(
        log.contains("[llem-double] config=" + out + "/llem_config.json output=" + out), log);
    String record = Files.readString(Path.of(v3.resultDir()).resolve("process.json"));
    assertTrue(
        record
            .replace(" ", "")
            .contains("[\"python3\",\"-m\",\"llenergymeasure.entrypoints.container\"]"),
        record);
  }

  /**
   * What both modes must show: the ledger's outcome of every behaviour, the attempts made, the
   * config file written verbatim, the worker's copy of the result.
   *
   * @return the log of the v3 run
   */
  private String assertContract(String campaign, List<LedgerEntry> ledger, Path tmp)
      throws Exception {
    Map<String, Experiment> experiments =
        CampaignLoader.parse(Files.readString(tmp.resolve(campaign + ".yaml")), campaign + ".yaml")
            .campaign()
            .experiments()
            .stream()
            .collect(Collectors.toMap(Experiment::name, e -> e));
    String report = ledger.toString();

    for (String completed : List.of("v3", "v070", "baseline")) {
      LedgerEntry run = only(ledger, completed);
      assertEquals("completed", run.status(), report);
      assertNull(run.error());
      Path attempt = Path.of(run.resultDir());
      Path config = attempt.resolve("out/llem_config.json");
      assertTrue(Files.isRegularFile(config, LinkOption.NOFOLLOW_LINKS));
      assertEquals(
          experiments.get(completed).llenergymeasure().config(),
          Files.readString(config, StandardCharsets.UTF_8),
          "the config file holds the experiment's config verbatim");
      List<String> copies;
      try (var files = Files.list(attempt)) {
        copies =
            files
                .map(p -> p.getFileName().toString())
                .filter(n -> n.endsWith("_result.json"))
                .toList();
      }
      assertEquals(1, copies.size(), "the worker's copy of the result: " + copies);
      assertEquals(
          JSON.readTree(attempt.resolve("out").resolve(copies.get(0)).toFile()),
          JSON.readTree(attempt.resolve(copies.get(0)).toFile()));
      assertTrue(Files.exists(attempt.resolve("out/timeseries.parquet")), "LLEM_OUTPUT_DIR");
    }
    JsonNode v3 = only(ledger, "v3").result();
    assertEquals("3.0", v3.get("schema_version").asText());
    assertEquals(json("v3.0_result.json"), v3);
    JsonNode v070 = only(ledger, "v070").result();
    assertFalse(v070.has("schema_version"));
    assertEquals(json("v0.7.0_result.json"), v070);
    assertEquals(
        json("v3.0_result.json"),
        only(ledger, "baseline").result(),
        "baseline_result.json beside the result is not the result");

    List<LedgerEntry> two = attempts(ledger, "two");
    assertEquals(2, two.size(), "ResultInvalid gets its retry: " + report);
    for (LedgerEntry a : two) {
      assertEquals("ResultInvalid", a.error().type());
      String message = a.error().message();
      int fixed = message.indexOf("0000000000000000_result.json");
      int hashed = message.lastIndexOf("_result.json");
      assertTrue(fixed >= 0 && hashed > fixed, "names both, sorted: " + message);
    }
    for (LedgerEntry a : attempts(ledger, "missing")) {
      assertEquals("ResultMissing", a.error().type());
      assertTrue(a.error().message().contains("llem_error.json"), a.error().message());
    }
    assertEquals(2, attempts(ledger, "missing").size(), report);

    List<LedgerEntry> runtime = attempts(ledger, "runtime");
    assertEquals(2, runtime.size(), "a runtime error gets a new attempt: " + report);
    for (LedgerEntry a : runtime) {
      assertEquals("ExperimentError", a.error().type(), a.toString());
      assertEquals("RuntimeError", a.error().upstreamType());
      assertTrue(
          a.error().message().startsWith("upstream RuntimeError: CUDA out of memory."),
          a.error().message());
      assertTrue(a.error().message().contains("llem_error.json)"), a.error().message());
    }
    List<LedgerEntry> config = attempts(ledger, "config");
    assertEquals(1, config.size(), "a configuration error is not retried: " + report);
    assertEquals("ExperimentError", config.get(0).error().type());
    assertEquals("ConfigError", config.get(0).error().upstreamType());
    assertTrue(
        config.get(0).error().message().startsWith("upstream ConfigError: Unknown engine"),
        config.get(0).error().message());
    assertTrue(
        Files.readString(Path.of(config.get(0).resultDir()).resolve("out/llem_error.json"))
            .contains("\"traceback\""),
        "the traceback stays in the file");
    return Files.readString(Path.of(only(ledger, "v3").resultDir()).resolve("log.txt"));
  }

  private static String campaignFile(String campaign, List<String> head, String extraSpecLine) {
    List<String> lines = new ArrayList<>();
    lines.add("campaign: " + campaign);
    lines.addAll(head);
    lines.add("execution: {concurrency: 1}");
    lines.add("experiments:");
    for (String name : List.of("v3", "v070", "baseline", "two", "missing", "runtime", "config")) {
      lines.add("  - name: " + name);
      lines.add("    llenergymeasure:");
      lines.add(
          "      config: {double: "
              + BEHAVIOURS.get(name)
              + ", engine: vllm, task: {model: gpt2, dataset: {n_prompts: 50}}}");
      if (!extraSpecLine.isEmpty()) {
        lines.add(extraSpecLine);
      }
    }
    return String.join("\n", lines) + "\n";
  }

  /** {@code llem-campaign run FILE} as its own JVM; the campaign's ledger afterwards. */
  private List<LedgerEntry> run(String campaign, String yaml, Path tmp) throws Exception {
    Path file = tmp.resolve(campaign + ".yaml");
    Files.writeString(file, yaml);
    Path results = tmp.resolve("results");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "run",
            file.toString(),
            "--temporal",
            temporal.address(),
            "--inventory",
            repo.resolve("examples/inventories/sim-4gpu-idle").toString(),
            "--results",
            results.toString(),
            "--host-id",
            HOST);
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true);
    pb.environment().put("LLEM_HOME", tmp.resolve("home").toString());
    pb.environment().remove("TEMPORAL_ADDRESS");
    File output = tmp.resolve("cli.log").toFile();
    pb.redirectOutput(output);
    Process cli = pb.start();
    if (!cli.waitFor(6, TimeUnit.MINUTES)) {
      cli.descendants().forEach(ProcessHandle::destroyForcibly);
      cli.destroyForcibly();
      throw new AssertionError(
          "llem-campaign run did not end:\n" + Files.readString(output.toPath()));
    }
    String printed = Files.readString(output.toPath());
    assertEquals(ExitCodes.RUNS_FAILED, cli.exitValue(), "some runs fail on purpose:\n" + printed);
    return RunLedger.of(results, campaign).read();
  }

  private static void ensureDoubleImage(DockerClient docker) {
    try {
      docker.inspectImageCmd(DOUBLE_IMAGE).exec();
    } catch (com.github.dockerjava.api.exception.NotFoundException e) {
      throw new AssertionError(
          DOUBLE_IMAGE + " is missing: build the test images with scripts/build-test-images", e);
    }
  }

  private JsonNode json(String shape) throws Exception {
    return JSON.readTree(
        repo.resolve("images/llem-upstream-double/results").resolve(shape).toFile());
  }

  private static LedgerEntry only(List<LedgerEntry> ledger, String experiment) {
    List<LedgerEntry> found = attempts(ledger, experiment);
    assertEquals(1, found.size(), experiment + ": " + ledger);
    return found.get(0);
  }

  private static List<LedgerEntry> attempts(List<LedgerEntry> ledger, String experiment) {
    return ledger.stream().filter(e -> e.experiment().equals(experiment)).toList();
  }
}
