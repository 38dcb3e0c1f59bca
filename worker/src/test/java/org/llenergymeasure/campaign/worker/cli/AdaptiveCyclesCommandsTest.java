package org.llenergymeasure.campaign.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.worker.campaign.CampaignStatusReader;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.CampaignStatus;
import org.llenergymeasure.campaign.workflows.campaign.ExperimentConvergence;

/** `plan`, `validate` and `status` of a campaign with adaptive cycles. */
class AdaptiveCyclesCommandsTest {

  private static final String YAML =
      """
      campaign: adaptive-cli
      experiments:
        - {name: a, image: img:1}
        - {name: b, image: img:1}
      execution:
        cycles:
          min: 3
          max: 20
          until: {metric: energyPerTokenJ, relativeHalfWidth: 2%, confidence: 0.95}
      """;

  private static CampaignProgress progress(Long plannedMax) {
    CampaignProgress p =
        new CampaignProgress(
            "adaptive-cli",
            CampaignStatus.RUNNING,
            6,
            5,
            0,
            0,
            1,
            List.of(),
            List.of(),
            125L,
            null,
            1,
            List.of());
    return plannedMax == null
        ? p
        : p.withCycles(
            plannedMax,
            List.of(
                new ExperimentConvergence("a", 3, 10.1, 0.248414, 0.0245954, false, 3),
                new ExperimentConvergence("b", 2, 5.0, 0.0, 0.0, true, 3)),
            0);
  }

  @Test
  void planShowsMinMaxTheTargetAndTheRangeOfRuns(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("adaptive.yaml"), YAML);
    CliRun human = CliRun.of("plan", file.toString());
    assertEquals(0, human.exit(), human.err());
    assertTrue(
        human.out().contains("cycles: min 3, max 20, until energyPerTokenJ ±2 % at 95 %"),
        human.out());
    assertTrue(
        human.out().contains("runs: 6 planned at start (cycles 1..3), up to 40"), human.out());

    CliRun json = CliRun.of("plan", file.toString(), "--json");
    JsonNode plan = new ObjectMapper().readTree(json.out());
    assertEquals(6, plan.get("runs").size());
    assertEquals(40, plan.get("runsMax").asInt());
    assertEquals(3, plan.get("cycles").get("min").asInt());
    assertEquals(20, plan.get("cycles").get("max").asInt());
    JsonNode until = plan.get("cycles").get("until");
    assertEquals("energyPerTokenJ", until.get("metric").asText());
    assertEquals(0.02, until.get("relativeHalfWidth").asDouble(), 0);
    assertEquals(0.95, until.get("confidence").asDouble(), 0);

    CliRun validate = CliRun.of("validate", file.toString());
    assertTrue(
        validate.out().contains("2 experiments × 3..20 cycles = 6 at start, up to 40 runs"),
        validate.out());
  }

  @Test
  void planOfAFixedCountHasNoCyclesObject() throws Exception {
    CliRun json =
        CliRun.of(
            "plan",
            org.llenergymeasure.campaign.activities.testing.DockerExtension.repoRoot()
                .resolve("examples/quickstart.yaml")
                .toString(),
            "--json");
    JsonNode plan = new ObjectMapper().readTree(json.out());
    assertFalse(plan.has("cycles"));
    assertFalse(plan.has("runsMax"));
  }

  @Test
  void statusJsonHasTheBoundAndEachExperimentsInterval() {
    Map<String, Object> out =
        StatusCommand.toJson(progress(40L), CampaignStatusReader.Source.QUERY);
    assertEquals(40L, ((Number) out.get("plannedMax")).longValue());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> conv = (List<Map<String, Object>>) out.get("convergence");
    assertEquals("a", conv.get(0).get("experiment"));
    assertEquals(3, conv.get(0).get("n"));
    assertEquals(10.1, conv.get(0).get("mean"));
    assertEquals(0.248414, conv.get(0).get("halfWidth"));
    assertEquals(false, conv.get(0).get("converged"));
    assertEquals(true, conv.get(1).get("converged"));

    Map<String, Object> fixed =
        StatusCommand.toJson(progress(null), CampaignStatusReader.Source.QUERY);
    assertFalse(fixed.containsKey("plannedMax"), fixed.toString());
    assertFalse(fixed.containsKey("convergence"), fixed.toString());
  }

  @Test
  void statusPrintsEachExperimentsIntervalAsATable() {
    List<String> lines = ConvergenceText.lines(progress(40L));
    assertEquals(4, lines.size(), lines.toString());
    assertTrue(
        lines.get(2).matches("  a\\s+3\\s+3\\s+10\\.1000\\s+0\\.248414\\s+2\\.46  no"),
        lines.get(2));
    assertTrue(lines.get(3).endsWith("yes"), lines.get(3));
    assertEquals(List.of(), ConvergenceText.lines(progress(null)));
  }
}
