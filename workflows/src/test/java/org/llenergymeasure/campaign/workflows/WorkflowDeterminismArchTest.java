package org.llenergymeasure.campaign.workflows;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The determinism rules of workflow code as tests: the campaign, run and host registry workflows
 * (and everything they call in their packages) never touch files, threads, the wall clock or
 * unseeded randomness; Temporal's Workflow API gives the deterministic versions.
 */
class WorkflowDeterminismArchTest {

  private static final JavaClasses WORKFLOW_CODE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(
              "org.llenergymeasure.campaign.workflows.campaign",
              "org.llenergymeasure.campaign.workflows.run",
              "org.llenergymeasure.campaign.workflows.registry");

  @Test
  void noIoNoThreadsNoClockNoRandomness() {
    ArchRule rule =
        noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "java.io..", "java.nio.file..", "java.util.concurrent..", "java.net..")
            .orShould()
            .dependOnClassesThat()
            .haveFullyQualifiedName("java.lang.Thread")
            .orShould()
            .dependOnClassesThat()
            .haveFullyQualifiedName("java.util.Random")
            .orShould()
            .callMethod(System.class, "currentTimeMillis")
            .orShould()
            .callMethod(System.class, "nanoTime")
            .orShould()
            .callMethod(System.class, "getenv", String.class)
            .orShould()
            .callMethod(java.util.UUID.class, "randomUUID")
            .orShould()
            .callMethod(java.time.Instant.class, "now")
            .because("workflow code is replayed and must be deterministic (docs/upgrading.md)");
    rule.check(WORKFLOW_CODE);
  }
}
