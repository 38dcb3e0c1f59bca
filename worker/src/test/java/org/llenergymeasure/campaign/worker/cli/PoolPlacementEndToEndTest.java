package org.llenergymeasure.campaign.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.ledger.RunLedger;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.worker.campaign.CampaignStarter;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.CampaignStatus;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflow;

/**
 * Placement over three hosts registered on a real Temporal dev server (four H100s; two H200s; a T4
 * and an H100), with Docker runs: {@code hosts: any} with {@code gpus: {count, model}} puts each
 * run on a host that fits it, the fewest fitting free GPUs first, and {@code validate --hosts}
 * names a run no registered host could ever fit.
 */
@Tag("docker")
@Tag("temporal")
@ExtendWith(DockerExtension.class)
class PoolPlacementEndToEndTest {

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  private final String suffix = Long.toString(System.nanoTime() % 100_000, 36);

  private String[] args(String... command) {
    List<String> all = new ArrayList<>(List.of(command));
    all.add("--temporal");
    all.add(temporal.address());
    return all.toArray(String[]::new);
  }

  private static String state(CliRun hosts, String id) {
    for (JsonNode h : hosts.json().get("hosts")) {
      if (h.get("hostId").asText().equals(id)) {
        return h.get("state").asText();
      }
    }
    return "absent";
  }

  private static CampaignProgress end(WorkflowClient client, String workflowId) throws Exception {
    return WorkflowStub.fromTyped(client.newWorkflowStub(CampaignWorkflow.class, workflowId))
        .getResult(3, TimeUnit.MINUTES, CampaignProgress.class);
  }

  @Test
  void runsArePlacedOnARegisteredHostThatFitsThemAndValidateNamesOneNoneCould(
      DockerClient docker, @TempDir Path tmp) throws Exception {
    WorkflowClient client = temporal.client();
    Path results = tmp.resolve("results");
    String name = "pool-place-" + suffix;
    String placed =
        String.join(
            "\n",
            "campaign: " + name,
            "hosts: any",
            "defaults: {image: 'llem-probe:dev', timeout: 2m,",
            "           command: [sh, -c, 'echo {} > /results/result.json']}",
            "experiments:",
            "  - {name: one-h100, gpus: {count: 1, model: '*H100*'}}",
            "  - {name: two-h200, gpus: {count: 2, model: '*H200*'}}",
            "  - {name: one-t4, gpus: {count: 1, model: '*T4*'}}",
            "  - {name: three-any, gpus: {count: 3}}",
            "");
    Path file = tmp.resolve(name + ".yaml");
    Files.writeString(file, placed);
    Path never = tmp.resolve("never.yaml");
    Files.writeString(
        never,
        placed
            .replace("campaign: " + name, "campaign: never-" + suffix)
            .replace(
                "{name: one-t4, gpus: {count: 1, model: '*T4*'}}",
                "{name: two-a100, gpus:" + " {count: 2, model: '*A100*'}}"));
    try (PoolHost a = PoolHost.start(client, "a", "sim-4gpu-idle", tmp, results);
        PoolHost b = PoolHost.start(client, "b", "h200-2gpu", tmp, results);
        PoolHost c = PoolHost.start(client, "c", "mixed-t4-h100", tmp, results)) {
      CampaignCommandsTest.eventually(
          () -> CliRun.of(args("hosts", "--json")),
          r ->
              r.exit() == 0
                  && state(r, "a").equals("up")
                  && state(r, "b").equals("up")
                  && state(r, "c").equals("up"),
          Duration.ofSeconds(60));

      // validate --hosts: the file that fits passes; a run no host could ever fit is named.
      CliRun fits = CliRun.of(args("validate", "--hosts", file.toString()));
      assertEquals(0, fits.exit(), fits.out() + fits.err());
      CliRun refused = CliRun.of(args("validate", "--hosts", never.toString()));
      assertEquals(2, refused.exit(), refused.out() + refused.err());
      assertTrue(
          (refused.out() + refused.err()).contains("two-a100.c1"),
          "names the run: " + refused.out() + refused.err());

      String id =
          new CampaignStarter(client)
              .startOrAttach(CampaignLoader.parse(placed, name + ".yaml"), List.of("a"))
              .workflowId();
      assertEquals(CampaignStatus.COMPLETED, end(client, id).state());
      Map<String, String> hostOf = new HashMap<>();
      for (LedgerEntry e : RunLedger.of(results, name).read()) {
        assertEquals("completed", e.status(), e.toString());
        hostOf.put(e.runId(), e.host());
      }
      // The first run, on an idle pool: one H100 goes to c (one free H100) rather than a (four),
      // the fewest fitting free GPUs first. Only b has H200s, only c a T4, only a three GPUs.
      assertEquals(
          Map.of("two-h200.c1", "b", "one-t4.c1", "c", "three-any.c1", "a", "one-h100.c1", "c"),
          hostOf);
    } finally {
      DockerExtension.removeContainersLabelled(docker, "llem.campaign=" + name);
    }
  }
}
