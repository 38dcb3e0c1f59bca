package org.llenergymeasure.campaign.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanDiffTest {

  static Campaign campaign(String yaml) throws Exception {
    return CampaignLoader.parse(yaml, "t.yaml").campaign();
  }

  static final String V1 =
      """
      campaign: x
      defaults: {image: img:1}
      experiments:
        - {name: a}
        - {name: b, env: {K: "1"}}
        - {name: c, labels: {team: one}}
      execution: {cycles: 2}
      """;

  @Test
  void addedRemovedAndChangedByNameWithTheKeysThatChanged() throws Exception {
    Campaign v2 =
        campaign(
            """
            campaign: x
            defaults: {image: img:1}
            experiments:
              - {name: d}
              - {name: b, env: {K: "2"}, command: [run]}
              - {name: c, labels: {team: two}}
            execution: {cycles: 2}
            """);
    PlanDiff diff = PlanDiff.of(campaign(V1), v2);
    assertEquals(List.of("d"), diff.added());
    assertEquals(List.of("a"), diff.removed());
    // labels never count; the keys are sorted.
    assertEquals(Map.of("b", List.of("command", "env")), diff.changed());
    assertNull(PlanDiff.refusal(campaign(V1), v2));
  }

  @Test
  void anUnchangedFileIsAnEmptyDiff() throws Exception {
    assertTrue(PlanDiff.of(campaign(V1), campaign(V1)).isEmpty());
  }

  @Test
  void whatCannotChangeWhileTheCampaignRunsIsRefused() throws Exception {
    Campaign v1 = campaign(V1);
    assertTrue(
        PlanDiff.refusal(v1, campaign(V1.replace("{cycles: 2}", "{cycles: 2, gap: 5s}")))
            .contains("execution block"));
    assertTrue(
        PlanDiff.refusal(v1, campaign(V1.replace("{cycles: 2}", "{cycles: 2, order: reverse}")))
            .contains("execution block"));
    assertTrue(
        PlanDiff.refusal(v1, campaign(V1.replace("campaign: x", "campaign: y"))).contains("not x"));
    assertTrue(PlanDiff.refusal(v1, campaign(V1 + "attach: env\n")).contains("attach changed"));
    assertTrue(PlanDiff.refusal(v1, campaign(V1 + "hosts: [h1]\n")).contains("hosts changed"));
    assertTrue(
        PlanDiff.refusal(
                v1,
                campaign(
                    V1.replace(
                        "{cycles: 2}",
                        "{cycles: {min: 2, max: 4, until: {metric: energyJ,"
                            + " relativeHalfWidth: 5%, confidence: 0.95}}}")))
            .contains("adaptive cycles"));
  }
}
