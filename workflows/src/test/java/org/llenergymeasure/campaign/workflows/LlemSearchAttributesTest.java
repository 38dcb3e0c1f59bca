package org.llenergymeasure.campaign.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The search attributes, as docs/cli-contract.md names and types them. */
class LlemSearchAttributesTest {

  @Test
  void theContractsAttributesWithTheirTypesInAStableOrder() {
    assertEquals(
        Map.of(
            "LlemCampaign", "Keyword",
            "LlemExperiment", "Keyword",
            "LlemRun", "Keyword",
            "LlemHost", "Keyword",
            "LlemStatus", "Keyword",
            "LlemGpus", "KeywordList",
            "LlemPlanned", "Int",
            "LlemCompleted", "Int",
            "LlemFailed", "Int"),
        LlemSearchAttributes.definitions());
    assertEquals(
        List.of(
            LlemSearchAttributes.CAMPAIGN.getName(),
            LlemSearchAttributes.EXPERIMENT.getName(),
            LlemSearchAttributes.RUN.getName(),
            LlemSearchAttributes.HOST.getName(),
            LlemSearchAttributes.STATUS.getName(),
            LlemSearchAttributes.GPUS.getName(),
            LlemSearchAttributes.PLANNED.getName(),
            LlemSearchAttributes.COMPLETED.getName(),
            LlemSearchAttributes.FAILED.getName()),
        List.copyOf(LlemSearchAttributes.definitions().keySet()),
        "each key is declared under the name it is registered with");
  }

  @Test
  void aSelfHostedServiceGetsOneCreateCommandPerAttribute() {
    List<String> commands = LlemSearchAttributes.registrationCommands();
    assertEquals(9, commands.size());
    assertEquals(
        "temporal operator search-attribute create --name LlemCampaign --type Keyword",
        commands.get(0));
    assertEquals(
        "temporal operator search-attribute create --name LlemGpus --type KeywordList",
        commands.get(5));
  }
}
