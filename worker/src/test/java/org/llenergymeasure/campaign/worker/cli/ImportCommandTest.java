package org.llenergymeasure.campaign.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.config.RunOrder;

/**
 * {@code import} of upstream's own study files (worker/src/test/resources/upstream-studies, see its
 * README): the written campaign file validates, and what could not be carried over is printed at
 * its line of the study.
 */
class ImportCommandTest {

  private static final Path STUDIES =
      DockerExtension.repoRoot().resolve("worker/src/test/resources/upstream-studies");

  @TempDir Path dir;

  @Test
  void aTransformersStudyBecomesAValidCampaignWithLocatedNotes() throws Exception {
    Path study = STUDIES.resolve("sigint_study.yaml");
    Path out = dir.resolve("sigint.yaml");
    CliRun run = CliRun.of("import", study.toString(), "-o", out.toString());
    assertEquals(0, run.exit(), run.err());
    assertEquals("", run.out(), "with -o the campaign goes to the file");
    assertTrue(
        run.err().contains("note: " + study + ":6: name: taken as the study's name"), run.err());
    assertTrue(
        run.err().contains("note: " + study + ":22: study_execution: no experiment_gap_seconds"),
        run.err());
    assertTrue(run.err().contains("1 experiments × 3 cycles = 3 runs"), run.err());

    LoadedCampaign lc = CampaignLoader.load(out);
    assertEquals("sigint-test", lc.campaign().name());
    assertEquals(RunOrder.GROUPED, lc.campaign().execution().order(), "sequential is grouped");
    Experiment e = lc.campaign().experiments().get(0);
    assertEquals("ghcr.io/henrycgbaker/llenergymeasure/transformers:v0.9.0", e.image());
    assertEquals(
        "{\"engine\":\"transformers\",\"measurement\":{\"baseline\":{\"enabled\":false},"
            + "\"warmup\":{\"enabled\":false}},\"task\":{\"dataset\":{\"n_prompts\":10},"
            + "\"max_output_tokens\":32,\"model\":\"gpt2\"}}",
        e.llenergymeasure().config());
    assertEquals(java.time.Duration.ofSeconds(600), e.timeout(), "upstream's default timeout");
    assertTrue(Files.readString(out).contains("#   line 6: name: taken as the study's name"));
  }

  @Test
  void aVllmStudyWithJsonPrintsTheCampaignAndItsSummary() throws Exception {
    Path study = STUDIES.resolve("killpg_vllm_study.yaml");
    CliRun run = CliRun.of("import", study.toString(), "--upstream-version", "2.0.0", "--json");
    assertEquals(0, run.exit(), run.err());
    JsonNode j = run.json();
    assertEquals("killpg-test", j.get("campaign").asText());
    assertEquals(1, j.get("runs").asInt());
    assertTrue(j.get("output").isNull());
    assertEquals(3, j.get("notes").size(), j.get("notes").toString());
    assertEquals(27, j.get("notes").get(1).get("line").asInt());
    LoadedCampaign lc = CampaignLoader.parse(j.get("yaml").asText(), "killpg.yaml");
    assertEquals(j.get("hash").asText(), lc.plan().hash());
    Experiment e = lc.campaign().experiments().get(0);
    assertEquals("ghcr.io/henrycgbaker/llenergymeasure/vllm:v2.0.0", e.image());
    assertEquals(8L << 30, e.shmSize(), "vLLM's shared memory default");
    assertEquals(1, e.gpus().count());
  }

  @Test
  void upstreamsReferenceStudyIsTooLargeAndItsProblemsAreLocated() {
    Path study = STUDIES.resolve("example-study-full.yaml");
    Path out = dir.resolve("full.yaml");
    CliRun run = CliRun.of("import", study.toString(), "-o", out.toString());
    assertEquals(2, run.exit(), run.err());
    assertFalse(Files.exists(out), "nothing is written");
    for (String expected :
        new String[] {
          study + ":128:1: sweep: the study expands to ",
          "note: " + study + ":15: runners: the experiments' runners mix local and container",
          "note: " + study + ":284: experiments[0].model: unknown key `model`",
          "note: " + study + ":34: study_execution.circuit_breaker_cooldown_seconds: not carried"
        }) {
      assertTrue(run.err().contains(expected), expected + "\nin:\n" + run.err());
    }
  }

  @Test
  void helpShowsUsageExamplesAndJson() {
    CliRun r = CliRun.of("import", "--help");
    assertEquals(0, r.exit());
    for (String expected : new String[] {"llem-campaign import", "Example", "--json", "-o"}) {
      assertTrue(r.out().contains(expected), expected + " in:\n" + r.out());
    }
  }
}
